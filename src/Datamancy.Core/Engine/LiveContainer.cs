namespace Datamancy.Engine;

/// <summary>What the engine says of one service's container, from a single list call.</summary>
public sealed record LiveContainer(
    string Id, string Name, string Service, string State, string Health, string Status, string ImageId, DateTime Created,
    IReadOnlyList<string> Ports, IReadOnlyDictionary<string, string> Labels)
{
    public bool IsRunning => State == "running";

    public string? Fingerprint => Labels.TryGetValue(ComposeLabels.Fingerprint, out var f) ? f : null;

    /// <summary>"healthy", "unhealthy", "starting" or "none" (no healthcheck), from the list's status text ("Up 5 s (healthy)") or health field.</summary>
    public static string HealthOf(string? status, string? health)
    {
        status ??= string.Empty;
        if (status.Contains("(healthy)", StringComparison.Ordinal))
        {
            return "healthy";
        }

        if (status.Contains("(unhealthy)", StringComparison.Ordinal))
        {
            return "unhealthy";
        }

        return status.Contains("(health: starting)", StringComparison.Ordinal) ? "starting" : health is { Length: > 0 } h && h != "none" ? h : "none";
    }
}
