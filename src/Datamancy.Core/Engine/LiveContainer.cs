namespace Datamancy.Engine;

/// <summary>What the engine says of one service's container, from a single list call.</summary>
public sealed record LiveContainer(
    string Id, string Name, string Service, ContainerState State, HealthStatus Health, string Status, string ImageId, DateTime Created,
    IReadOnlyList<string> Ports, IReadOnlyDictionary<string, string> Labels)
{
    public bool IsRunning => State == ContainerState.Running;

    public string? Fingerprint => Labels.TryGetValue(ComposeLabels.Fingerprint, out var f) ? f : null;

    /// <summary>The verdict from the list's status text ("Up 5 s (healthy)"), else its health field; None without a healthcheck.</summary>
    public static HealthStatus HealthOf(string? status, string? health)
    {
        status ??= string.Empty;
        if (status.Contains("(healthy)", StringComparison.Ordinal))
        {
            return HealthStatus.Healthy;
        }

        if (status.Contains("(unhealthy)", StringComparison.Ordinal))
        {
            return HealthStatus.Unhealthy;
        }

        return status.Contains("(health: starting)", StringComparison.Ordinal) ? HealthStatus.Starting : ParseHealth(health);
    }

    /// <summary>The engine's health word (healthy, unhealthy, starting, none or empty).</summary>
    public static HealthStatus ParseHealth(string? health) => health switch
    {
        "healthy" => HealthStatus.Healthy,
        "unhealthy" => HealthStatus.Unhealthy,
        "starting" => HealthStatus.Starting,
        _ => HealthStatus.None,
    };

    /// <summary>The engine's state word (running, exited, created, ...); Unknown for one this module does not know.</summary>
    public static ContainerState ParseState(string? state) =>
        Enum.TryParse<ContainerState>(state, ignoreCase: true, out var parsed) && parsed is not (ContainerState.Unknown or ContainerState.Absent or ContainerState.Removed)
            ? parsed
            : ContainerState.Unknown;
}
