using Docker.DotNet.Models;

namespace Datamancy.Engine;

/// <summary>What the engine says of one service's container, from a single list call.</summary>
public sealed record LiveContainer(
    string Id, string Name, string Service, string State, string Health, string Status, string ImageId, DateTime Created,
    IReadOnlyList<string> Ports, IReadOnlyDictionary<string, string> Labels)
{
    public bool IsRunning => State == "running";

    public string? Fingerprint => Labels.TryGetValue(ComposeLabels.Fingerprint, out var f) ? f : null;

    /// <summary>"healthy", "unhealthy", "starting" or "none" (no healthcheck).</summary>
    public static string HealthOf(ContainerListResponse container)
    {
        var status = container.Status ?? string.Empty;
        if (status.Contains("(healthy)", StringComparison.Ordinal))
        {
            return "healthy";
        }

        if (status.Contains("(unhealthy)", StringComparison.Ordinal))
        {
            return "unhealthy";
        }

        return status.Contains("(health: starting)", StringComparison.Ordinal) ? "starting" : container.Health?.Status is { Length: > 0 } h && h != "none" ? h : "none";
    }

    public static LiveContainer From(ContainerListResponse container) => new(
        container.ID,
        container.Names?.FirstOrDefault()?.TrimStart('/') ?? string.Empty,
        container.Labels?.TryGetValue(ComposeLabels.Service, out var service) == true ? service : string.Empty,
        container.State ?? string.Empty,
        HealthOf(container),
        container.Status ?? string.Empty,
        container.ImageID ?? string.Empty,
        container.Created,
        (container.Ports ?? []).Where(p => p.PublicPort > 0)
            .Select(p => $"{(string.IsNullOrEmpty(p.IP) ? string.Empty : p.IP + ":")}{p.PublicPort}->{p.PrivatePort}/{p.Type}")
            .Distinct().ToList(),
        container.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(container.Labels));
}
