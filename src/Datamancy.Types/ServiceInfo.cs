namespace Datamancy;

/// <summary>One service of the stack, as the compose file and the Caddyfile define it.</summary>
public sealed class ServiceInfo
{
    public ServiceInfo(string name, string[] profiles, string image, string hostname, string[] networks, string[] dependsOn,
        string[] ports, string[] exceptions, bool isJob, string stackPath, LiveState? live = null)
    {
        Name = name;
        Profiles = new(profiles);
        Image = image;
        Hostname = hostname;
        Networks = new(networks);
        DependsOn = new(dependsOn);
        Ports = new(ports);
        Exceptions = new(exceptions, "; ");
        IsJob = isJob;
        StackPath = stackPath;
        Live = live ?? LiveState.Unknown;
    }

    public string Name { get; }

    public TextList Profiles { get; }

    /// <summary>The first profile, for grouping and for binding to -Profile.</summary>
    public string Profile => Profiles.Count > 0 ? Profiles[0] : string.Empty;

    public string Image { get; }

    /// <summary>The hostname the Caddyfile routes to this service, or empty.</summary>
    public string Hostname { get; }

    public TextList Networks { get; }

    /// <summary>Dependencies as <c>service:condition</c>.</summary>
    public TextList DependsOn { get; }

    /// <summary>Published ports as <c>hostIp:published-&gt;target/protocol</c>.</summary>
    public TextList Ports { get; }

    /// <summary>Documented hardening exceptions as <c>kind: reason</c>.</summary>
    public TextList Exceptions { get; }

    /// <summary>A one-shot job that runs and exits.</summary>
    public bool IsJob { get; }

    public string StackPath { get; }

    /// <summary>The container's live state from the engine (LiveState.Unknown when none was reachable).</summary>
    public LiveState Live { get; }

    /// <summary>Running, Exited, Created ..., Absent (no container) or Unknown (no engine asked).</summary>
    public ContainerState State => Live.State;

    /// <summary>Healthy, Unhealthy, Starting, None (no healthcheck) or Unknown.</summary>
    public HealthStatus Health => Live.Health;

    public string ContainerId => Live.ContainerId;
}
