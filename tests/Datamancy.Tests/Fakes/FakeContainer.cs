using Datamancy.Engine;
using Docker.DotNet.Models;

namespace Datamancy.Tests.Fakes;

/// <summary>One container of the fake engine: what it was created with and the state it is in now.</summary>
public sealed class FakeContainer
{
    internal FakeContainer(string id, string name, string image, string imageId, IReadOnlyDictionary<string, string> labels, bool hasHealthcheck,
        CreateContainerParameters? spec, DateTime created)
    {
        Id = id;
        Name = name;
        Image = image;
        ImageId = imageId;
        Labels = labels;
        HasHealthcheck = hasHealthcheck;
        Spec = spec;
        Created = created;
    }

    public string Id { get; }

    public string Name { get; internal set; }

    public string Image { get; }

    public string ImageId { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public bool HasHealthcheck { get; }

    /// <summary>What CreateContainerAsync was given (null for a container the test put there).</summary>
    public CreateContainerParameters? Spec { get; }

    public DateTime Created { get; }

    public ContainerState State { get; internal set; } = ContainerState.Created;

    public HealthStatus Health { get; internal set; } = HealthStatus.None;

    public long ExitCode { get; internal set; }

    /// <summary>The output of the last healthcheck, as inspect shows it.</summary>
    public string HealthOutput { get; internal set; } = string.Empty;

    /// <summary>What the container's log holds (standard output), as ReadLogsAsync returns it.</summary>
    public string Log { get; set; } = string.Empty;

    /// <summary>Networks connected after create.</summary>
    public List<string> ConnectedNetworks { get; } = [];

    /// <summary>Tar archives put into the container, by path.</summary>
    public List<(string Path, byte[] Tar)> Archives { get; } = [];

    /// <summary>The compose service it belongs to, or empty.</summary>
    public string Service => Labels.TryGetValue(ComposeLabels.Service, out var service) ? service : string.Empty;

    public bool IsRunning => State == ContainerState.Running;

    // Completed when the container stops or goes; execs in it end then. Renewed at each start.
    internal TaskCompletionSource Stopped { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Bumped at each start and stop, so a scripted transition of an earlier run does not apply to a later one.
    internal int Generation { get; set; }

    /// <summary>The engine's status text, as a container list shows it.</summary>
    public string Status => State switch
    {
        ContainerState.Running => "Up 1 second" + Health switch
        {
            HealthStatus.Healthy => " (healthy)",
            HealthStatus.Unhealthy => " (unhealthy)",
            HealthStatus.Starting => " (health: starting)",
            _ => string.Empty,
        },
        ContainerState.Exited => $"Exited ({ExitCode}) 1 second ago",
        _ => "Created",
    };

    internal LiveContainer ToLive() => new(Id, Name, Service, State, Health, Status, ImageId, Created, [], Labels);
}

/// <summary>
/// What a container does by itself once started: become healthy or unhealthy (when it has a
/// healthcheck; told again every <see cref="After"/>, as a healthcheck's interval), or exit with a
/// code (a one-shot job, a crash) after <see cref="After"/>. Null fields: no change (a container
/// with a healthcheck then stays "starting").
/// </summary>
public sealed record ContainerScript(HealthStatus? Health = null, long? ExitCode = null, string HealthOutput = "")
{
    /// <summary>Long enough for a caller to record what it knows before the change, short enough for a fast test.</summary>
    public TimeSpan After { get; init; } = TimeSpan.FromMilliseconds(10);

    public static ContainerScript Healthy => new(HealthStatus.Healthy);

    public static ContainerScript Unhealthy(string output = "check failed") => new(HealthStatus.Unhealthy, HealthOutput: output);

    public static ContainerScript Exits(long code) => new(ExitCode: code) { After = TimeSpan.FromMilliseconds(20) };

    /// <summary>A container with a healthcheck that never passes nor fails.</summary>
    public static ContainerScript StaysStarting => new();
}
