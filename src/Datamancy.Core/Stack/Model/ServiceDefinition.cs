using Datamancy.Yaml;

namespace Datamancy.Stack.Model;

/// <summary>One service of the compose file, resolved: interpolated, merged, short forms expanded.</summary>
public sealed record ServiceDefinition
{
    public required string Name { get; init; }
    public required SourceMark Mark { get; init; }
    public string? Image { get; init; }

    /// <summary>The service's pull_policy; null when the file sets none (a start then uses its -Pull, default Missing).</summary>
    public PullPolicy? PullPolicy { get; init; }

    public IReadOnlyList<string> Profiles { get; init; } = [];
    public IReadOnlyList<ServiceDependency> DependsOn { get; init; } = [];
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];
    public IReadOnlyList<string> Expose { get; init; } = [];
    public IReadOnlyList<VolumeMount> Volumes { get; init; } = [];
    public IReadOnlyList<ServiceNetwork> Networks { get; init; } = [];
    public string? NetworkMode { get; init; }

    /// <summary>container_name as written; Compose mode names containers itself, Swarm mode refuses it.</summary>
    public string? ContainerName { get; init; }

    /// <summary>Interpolated environment; a null value means "taken from the engine host's environment".</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyList<string> EnvFiles { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public string? User { get; init; }
    public IReadOnlyList<string> GroupAdd { get; init; } = [];
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    public bool ReadOnly { get; init; }
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];
    public bool Privileged { get; init; }
    public bool? Init { get; init; }
    public string? Restart { get; init; }
    public HealthcheckDefinition? Healthcheck { get; init; }
    public IReadOnlyList<string> Tmpfs { get; init; } = [];
    public IReadOnlyList<string> Devices { get; init; } = [];
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public string? Hostname { get; init; }
    public string? WorkingDir { get; init; }
    public TimeSpan? StopGracePeriod { get; init; }
    public string? StopSignal { get; init; }
    public long? ShmSize { get; init; }
    public long? MemLimit { get; init; }
    public double? Cpus { get; init; }
    public long? PidsLimit { get; init; }
    public IReadOnlyDictionary<string, UlimitDefinition> Ulimits { get; init; } = new Dictionary<string, UlimitDefinition>();
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();
    public LoggingDefinition? Logging { get; init; }

    /// <summary>Documented hardening exceptions (x-datamancy-exceptions): kind to reason.</summary>
    public IReadOnlyDictionary<string, string> Exceptions { get; init; } = new Dictionary<string, string>();

    /// <summary>HTTP checks declared in x-datamancy-checks.</summary>
    public IReadOnlyList<HttpCheckDefinition> Checks { get; init; } = [];

    /// <summary>What the browser check expects of the service's page (x-datamancy-browser); null for the default.</summary>
    public BrowserExpectation? Browser { get; init; }

    /// <summary>Every x- field of the service, as written.</summary>
    public IReadOnlyDictionary<string, YNode> Extensions { get; init; } = new Dictionary<string, YNode>();

    /// <summary>A one-shot job: it runs and exits (restart set to "no" and no healthcheck to wait for).</summary>
    public bool IsJob => Restart == "no" && Healthcheck is null or { Disable: true };
}

public sealed record ServiceDependency(string Service, string Condition, bool Required, bool Restart, SourceMark Mark)
{
    public const string Started = "service_started";
    public const string Healthy = "service_healthy";
    public const string CompletedSuccessfully = "service_completed_successfully";
}

/// <summary>A published or exposed port; HostIp empty means all interfaces, Published null means an ephemeral port.</summary>
public sealed record PortMapping(string HostIp, string? Published, string Target, string Protocol)
{
    /// <summary>Published on every address of the host: no HostIp, or a wildcard one.</summary>
    public bool OnEveryAddress => HostIp.Length == 0 || HostIp is "0.0.0.0" or "::" or "[::]";

    public override string ToString() =>
        $"{(HostIp.Length > 0 ? HostIp + ":" : string.Empty)}{Published ?? string.Empty}->{Target}/{Protocol}";
}

public sealed record VolumeMount(string Type, string? Source, string Target, bool ReadOnly, string? Options);

public sealed record ServiceNetwork(string Name, IReadOnlyList<string> Aliases, string? Ipv4Address);

public sealed record HealthcheckDefinition(
    IReadOnlyList<string>? Test, TimeSpan? Interval, TimeSpan? Timeout, int? Retries, TimeSpan? StartPeriod, bool Disable);

public sealed record UlimitDefinition(long Soft, long Hard);

public sealed record LoggingDefinition(string? Driver, IReadOnlyDictionary<string, string> Options);

public sealed record HttpCheckDefinition(string Path, int Status, string? Contains, SourceMark Mark);

/// <summary>
/// What a real browser must see at https://&lt;hostname&gt;/ (x-datamancy-browser): a title containing
/// Title and an element matching Selector, either optional. Any page also needs HTTP status below 400.
/// </summary>
public sealed record BrowserExpectation(string? Title, string? Selector, SourceMark? Mark)
{
    /// <summary>The default: the page loads with a non-empty title.</summary>
    public static readonly BrowserExpectation Default = new(null, null, null);
}
