using Datamancy.Yaml;

namespace Datamancy.Stack.Model;

/// <summary>The whole stack: its compose file resolved, its .env, its Caddyfile routes.</summary>
public sealed record StackDefinition
{
    public required string ProjectName { get; init; }
    public required string Directory { get; init; }
    public required string ComposeFile { get; init; }
    public string? EnvFile { get; init; }
    public required IReadOnlyList<ServiceDefinition> Services { get; init; }
    public required IReadOnlyList<NetworkDefinition> Networks { get; init; }
    public required IReadOnlyList<VolumeDefinition> Volumes { get; init; }
    public required IReadOnlyList<SiteRoute> Routes { get; init; }
    public IReadOnlyDictionary<string, YNode> Extensions { get; init; } = new Dictionary<string, YNode>();

    /// <summary>Warnings met while loading (unset variables without a default, ...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Every profile named by a service, sorted.</summary>
    public IReadOnlyList<string> Profiles =>
        Services.SelectMany(s => s.Profiles).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public ServiceDefinition? FindService(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <summary>The hostname routed to a service by the Caddyfile, or null.</summary>
    public string? HostnameOf(string service) => Routes.FirstOrDefault(r => r.Service == service)?.Hostname;
}

public sealed record NetworkDefinition(string Key, string Name, string Driver, bool Internal, bool External, bool Attachable,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> DriverOptions);

public sealed record VolumeDefinition(string Key, string Name, string Driver, bool External,
    IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> DriverOptions);

/// <summary>One hostname of the Caddyfile and what it routes to.</summary>
public sealed record SiteRoute(string Hostname, string? Service, IReadOnlyList<string> Upstreams, bool ForwardAuth,
    IReadOnlyList<string> Paths, IReadOnlyDictionary<string, string> Headers, SourceMark Mark);
