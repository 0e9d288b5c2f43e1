using Docker.DotNet.Models;
using Version = System.Version;

namespace Datamancy.Engine;

/// <summary>
/// The one seam between Datamancy.Core and a Docker engine. Everything outside Engine/ reaches the
/// engine through this interface only; the adapter behind it (DockerApiEngine) is the one place that
/// knows Docker.DotNet's client and translates its and HTTP's failures into DatamancyException with a
/// stable id (EngineUnreachable, EngineObjectNotFound, EngineConflict, EngineError). The engine's
/// own request and response models (Docker.DotNet.Models) are used for the rich specs, since they are
/// the Engine API's schema; the common answers are records of our own, so a fake is easy to write.
/// Lookups return null for "no such object" and removals return false, so callers never need to
/// catch a not-found. Implementations are thread-safe.
/// </summary>
public interface IDockerEngine : IDisposable
{
    Uri Endpoint { get; }

    Version ApiVersion { get; }

    string EngineVersion { get; }

    // The engine itself.
    Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken);

    /// <summary>Delivers the engine's events matching <paramref name="query"/> until cancelled or the stream ends.</summary>
    Task MonitorEventsAsync(EventQuery query, Action<EngineEvent> onEvent, CancellationToken cancellationToken);

    // Containers.
    Task<IReadOnlyList<LiveContainer>> ListContainersAsync(ContainerQuery query, CancellationToken cancellationToken);

    Task<ContainerInspectResponse?> InspectContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Creates a container and returns its id.</summary>
    Task<string> CreateContainerAsync(CreateContainerParameters spec, CancellationToken cancellationToken);

    Task StartContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stops a container, killing it after <paramref name="grace"/>; false when it was not running.</summary>
    Task<bool> StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken);

    Task RestartContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Removes a container, running or not; false when there was none.</summary>
    Task<bool> RemoveContainerAsync(string id, bool removeVolumes, CancellationToken cancellationToken);

    Task RenameContainerAsync(string id, string newName, CancellationToken cancellationToken);

    /// <summary>Waits for the container to exit and returns its exit code.</summary>
    Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken);

    Task ConnectNetworkAsync(string network, string containerId, EndpointSettings? endpoint, CancellationToken cancellationToken);

    /// <summary>Extracts a tar archive into the container (which need not run) at <paramref name="path"/>.</summary>
    Task PutArchiveAsync(string containerId, string path, Stream tar, CancellationToken cancellationToken);

    /// <summary>The container's log as demultiplexed frames; with Follow, the stream stays open for new lines until cancelled.</summary>
    Task<IOutputReader> ReadLogsAsync(string containerId, LogQuery query, CancellationToken cancellationToken);

    /// <summary>Starts a command in a running container, attached to its output (and input, when asked).</summary>
    Task<IExecSession> StartExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken);

    // Images.
    Task<LocalImage?> InspectImageAsync(string reference, CancellationToken cancellationToken);

    Task<IReadOnlyList<LocalImage>> ListImagesAsync(CancellationToken cancellationToken);

    /// <summary>Pulls an image; the registry's refusal or a failed layer is an EngineError naming the image.</summary>
    Task PullImageAsync(string reference, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken);

    /// <summary>The digest the registry serves now for <paramref name="reference"/> (the engine asks the registry; nothing is pulled).</summary>
    Task<string> InspectDistributionAsync(string reference, RegistryAuth? auth, CancellationToken cancellationToken);

    /// <summary>Gives image <paramref name="image"/> (an id or reference) the name repository:tag.</summary>
    Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken);

    /// <summary>Removes an image reference (untags; the image goes when no reference is left); false when there was none.</summary>
    Task<bool> RemoveImageAsync(string reference, CancellationToken cancellationToken);

    // Volumes.
    Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(IReadOnlyDictionary<string, string?>? labels, CancellationToken cancellationToken);

    Task<VolumeInfo?> InspectVolumeAsync(string name, CancellationToken cancellationToken);

    Task<string> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken);

    /// <summary>False when there was no such volume.</summary>
    Task<bool> RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken);

    // Networks.
    Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(IReadOnlyDictionary<string, string?>? labels, CancellationToken cancellationToken);

    Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken);

    /// <summary>False when there was no such network.</summary>
    Task<bool> RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken);

    // Swarm (the engine must be a swarm manager; a worker or a lone engine refuses with EngineError).
    Task<IReadOnlyList<SwarmNodeInfo>> ListNodesAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a node's labels; <paramref name="node"/> carries the version the update is based on.</summary>
    Task UpdateNodeLabelsAsync(SwarmNodeInfo node, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>The services carrying every label of <paramref name="labels"/>, with their running and desired task counts.</summary>
    Task<IReadOnlyList<SwarmService>> ListServicesAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken);

    Task<SwarmService?> InspectServiceAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Creates a service and returns its id.</summary>
    Task<string> CreateServiceAsync(ServiceSpec spec, RegistryAuth? auth, CancellationToken cancellationToken);

    /// <summary>Replaces a service's spec; <paramref name="version"/> is the version it was read at.</summary>
    Task UpdateServiceAsync(string id, long version, ServiceSpec spec, RegistryAuth? auth, CancellationToken cancellationToken);

    /// <summary>False when there was no such service.</summary>
    Task<bool> RemoveServiceAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>The tasks of one service, current and past (the swarm keeps a few per slot).</summary>
    Task<IReadOnlyList<SwarmTaskInfo>> ListTasksAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>
    /// The log of a swarm service, every task on every node, as demultiplexed frames. Each line starts
    /// with its time, then the task's details (com.docker.swarm.node.id=...,com.docker.swarm.service.id=...,
    /// com.docker.swarm.task.id=...) and a space; with Follow, the stream stays open until cancelled.
    /// </summary>
    Task<IOutputReader> ReadServiceLogsAsync(string serviceId, LogQuery query, CancellationToken cancellationToken);

    /// <summary>Every swarm config (the API has no filter): id, name and labels; never the data.</summary>
    Task<IReadOnlyList<SwarmObjectInfo>> ListConfigsAsync(CancellationToken cancellationToken);

    /// <summary>Creates a swarm config and returns its id; its data cannot change afterwards.</summary>
    Task<string> CreateConfigAsync(string name, byte[] data, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>False when there was no such config.</summary>
    Task<bool> RemoveConfigAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every swarm secret (the API has no filter): id, name and labels; the engine never returns the data.</summary>
    Task<IReadOnlyList<SwarmObjectInfo>> ListSecretsAsync(CancellationToken cancellationToken);

    /// <summary>Creates a swarm secret and returns its id; its data cannot change afterwards.</summary>
    Task<string> CreateSecretAsync(string name, byte[] data, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>False when there was no such secret.</summary>
    Task<bool> RemoveSecretAsync(string id, CancellationToken cancellationToken);
}
