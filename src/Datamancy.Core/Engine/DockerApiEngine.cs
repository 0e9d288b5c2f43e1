using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;

namespace Datamancy.Engine;

/// <summary>
/// The seam's one implementation over Docker.DotNet: each call is one Engine API request, guarded by
/// EngineFailures so no Docker.DotNet or HTTP exception leaves it.
/// </summary>
public sealed class DockerApiEngine(DockerClient client, Uri endpoint, Version apiVersion, string engineVersion) : IDockerEngine
{
    private readonly EngineHttp? _http = EngineHttp.For(endpoint, apiVersion);

    public Uri Endpoint { get; } = endpoint;

    public Version ApiVersion { get; } = apiVersion;

    public string EngineVersion { get; } = engineVersion;

    public void Dispose()
    {
        client.Dispose();
        _http?.Dispose();
    }

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Guard("describe itself", async () =>
        {
            var info = await client.System.GetSystemInfoAsync(cancellationToken).ConfigureAwait(false);
            return new EngineInfo(info.Name ?? string.Empty, info.MemTotal, info.OperatingSystem ?? string.Empty,
                info.Swarm?.LocalNodeState ?? "inactive", info.Swarm?.NodeID ?? string.Empty, info.Swarm?.ControlAvailable ?? false);
        }, cancellationToken);

    public Task MonitorEventsAsync(EventQuery query, Action<EngineEvent> onEvent, CancellationToken cancellationToken)
    {
        var filters = Filters(query.Labels);
        filters["type"] = query.Types.ToDictionary(t => t, _ => true);
        var parameters = new ContainerEventsParameters
        {
            Since = query.Since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Filters = filters,
        };
        var events = new Callback<Message>(m => onEvent(new EngineEvent(m.Type ?? string.Empty, m.Action ?? string.Empty, m.Actor?.ID ?? string.Empty,
            Dictionary(m.Actor?.Attributes), m.TimeNano ?? 0)));
        return Guard("stream its events", () => client.System.MonitorEventsAsync(parameters, events, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<LiveContainer>> ListContainersAsync(ContainerQuery query, CancellationToken cancellationToken) =>
        Guard("list containers", async () =>
        {
            var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = query.All, Filters = Filters(query.Labels) }, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<LiveContainer>)containers.Select(Container).ToList();
        }, cancellationToken);

    public Task<ContainerInspectResponse?> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        EngineFailures.FindAsync(Endpoint, $"inspect container {Short(id)}", () => client.Containers.InspectContainerAsync(id, cancellationToken), cancellationToken);

    public Task<string> CreateContainerAsync(CreateContainerParameters spec, CancellationToken cancellationToken) =>
        Guard($"create container {spec.Name}", async () => (await client.Containers.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false)).ID, cancellationToken);

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) =>
        Guard($"start container {Short(id)}", () => client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken), cancellationToken);

    public Task<bool> StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken) =>
        Guard($"stop container {Short(id)}", () => client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = Seconds(grace) }, cancellationToken), cancellationToken);

    public Task RestartContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken) =>
        Guard($"restart container {Short(id)}", () => client.Containers.RestartContainerAsync(id, new ContainerRestartParameters { WaitBeforeKillSeconds = Seconds(grace) }, cancellationToken), cancellationToken);

    public Task<bool> RemoveContainerAsync(string id, bool removeVolumes, CancellationToken cancellationToken) =>
        EngineFailures.RemoveAsync(Endpoint, $"remove container {Short(id)}",
            () => client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = removeVolumes }, cancellationToken), cancellationToken);

    public Task RenameContainerAsync(string id, string newName, CancellationToken cancellationToken) =>
        Guard($"rename container {Short(id)} to {newName}", () => client.Containers.RenameContainerAsync(id, new ContainerRenameParameters { NewName = newName }, cancellationToken), cancellationToken);

    public Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken) =>
        Guard($"wait for container {Short(id)}", async () => (await client.Containers.WaitContainerAsync(id, cancellationToken).ConfigureAwait(false)).StatusCode, cancellationToken);

    public Task ConnectNetworkAsync(string network, string containerId, EndpointSettings? endpoint, CancellationToken cancellationToken) =>
        Guard($"connect container {Short(containerId)} to network {network}",
            () => client.Networks.ConnectNetworkAsync(network, new NetworkConnectParameters { Container = containerId, EndpointConfig = endpoint }, cancellationToken), cancellationToken);

    public Task PutArchiveAsync(string containerId, string path, Stream tar, CancellationToken cancellationToken) =>
        Guard($"copy files into container {Short(containerId)}",
            () => client.Containers.ExtractArchiveToContainerAsync(containerId, new CopyToContainerParameters { Path = path }, tar, cancellationToken), cancellationToken);

    public Task<IOutputReader> ReadLogsAsync(string containerId, LogQuery query, CancellationToken cancellationToken) =>
        Guard($"read the log of container {Short(containerId)}", async () =>
        {
            var stream = await client.Containers.GetContainerLogsAsync(containerId, new ContainerLogsParameters
            {
                ShowStdout = true,
                ShowStderr = true,
                Timestamps = true,
                Follow = query.Follow,
                Tail = Tail(query),
                Since = Since(query),
            }, cancellationToken).ConfigureAwait(false);
            return (IOutputReader)new DockerOutputReader(stream, Endpoint, $"read the log of container {Short(containerId)}");
        }, cancellationToken);

    // details=true puts the task's and node's ids before each line. Asked as raw bytes (tty: true) and
    // demultiplexed by FrameReader, which also reads the engine's own stream-3 messages.
    public Task<IOutputReader> ReadServiceLogsAsync(string serviceId, LogQuery query, CancellationToken cancellationToken)
    {
        var what = $"read the log of swarm service {Short(serviceId)}";
        return Guard(what, async () =>
        {
            var stream = await client.Swarm.GetServiceLogsAsync(serviceId, true, new ServiceLogsParameters
            {
                ShowStdout = true,
                ShowStderr = true,
                Timestamps = true,
                Details = true,
                Follow = query.Follow,
                Tail = Tail(query),
                Since = Since(query),
            }, cancellationToken).ConfigureAwait(false);
            return (IOutputReader)new FrameReader((buffer, offset, count, token) => Guard(what, async () =>
                (await stream.ReadOutputAsync(buffer, offset, count, token).ConfigureAwait(false)).Count, token), stream);
        }, cancellationToken);
    }

    public Task<IExecSession> StartExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken) =>
        Guard($"run a command in container {Short(containerId)}", async () =>
        {
            var created = await client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
            {
                Cmd = [.. request.Command],
                Env = request.Environment?.Select(p => $"{p.Key}={p.Value}").ToList() ?? [],
                User = request.User ?? string.Empty,
                WorkingDir = request.WorkingDirectory ?? string.Empty,
                AttachStdin = request.AttachInput,
                AttachStdout = true,
                AttachStderr = true,
                TTY = false,
            }, cancellationToken).ConfigureAwait(false);
            var stream = await client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters { Detach = false, TTY = false }, cancellationToken).ConfigureAwait(false);
            return (IExecSession)new DockerExecSession(client, created.ID, stream, Endpoint, $"run a command in container {Short(containerId)}");
        }, cancellationToken);

    public async Task<LocalImage?> InspectImageAsync(string reference, CancellationToken cancellationToken)
    {
        var image = await EngineFailures.FindAsync(Endpoint, $"inspect image {reference}", () => client.Images.InspectImageAsync(reference, cancellationToken), cancellationToken).ConfigureAwait(false);
        return image is null ? null : new LocalImage(image.ID, [.. image.RepoTags ?? []], [.. image.RepoDigests ?? []], Dictionary(image.Config?.Labels), image.Created ?? DateTime.MinValue);
    }

    public Task<IReadOnlyList<LocalImage>> ListImagesAsync(CancellationToken cancellationToken) =>
        Guard("list images", async () =>
        {
            var images = await client.Images.ListImagesAsync(new ImagesListParameters { All = false }, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<LocalImage>)images.Select(i => new LocalImage(i.ID, [.. i.RepoTags ?? []], [.. i.RepoDigests ?? []], Dictionary(i.Labels), i.Created)).ToList();
        }, cancellationToken);

    public Task PullImageAsync(string reference, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken) =>
        Guard($"pull image {reference}", async () =>
        {
            var (name, tag) = ImageReference.SplitForPull(reference);
            string? failure = null;
            var messages = new Callback<JSONMessage>(message =>
            {
                if (message.Error?.Message is { Length: > 0 } error)
                {
                    failure = error;
                    return;
                }

                progress?.Report(new PullProgress(reference, message.ID ?? string.Empty, message.Status ?? string.Empty,
                    message.Progress?.Current ?? 0, message.Progress?.Total ?? 0));
            });
            await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = name, Tag = tag }, Auth(auth), messages, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                throw new Errors.DatamancyException(Errors.ErrorIds.EngineError, Errors.ErrorKind.InvalidOperation,
                    $"The engine could not pull image {reference}: {failure.Split('\n')[0].Trim()}", reference);
            }
        }, cancellationToken);

    public Task<string> InspectDistributionAsync(string reference, RegistryAuth? auth, CancellationToken cancellationToken) =>
        _http is not null
            ? _http.DistributionDigestAsync(reference, auth, cancellationToken)
            : Guard($"ask the registry for image {reference}", async () =>
                (await client.Distribution.InspectAsync(reference, cancellationToken).ConfigureAwait(false)).Descriptor?.Digest ?? string.Empty, cancellationToken);

    public Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken) =>
        Guard($"tag image {Short(image)} as {repository}:{tag}",
            () => client.Images.TagImageAsync(image, new ImageTagParameters { RepositoryName = repository, Tag = tag }, cancellationToken), cancellationToken);

    public Task<bool> RemoveImageAsync(string reference, CancellationToken cancellationToken) =>
        EngineFailures.RemoveAsync(Endpoint, $"remove image {reference}",
            () => client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = false, NoPrune = false }, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(IReadOnlyDictionary<string, string?>? labels, CancellationToken cancellationToken) =>
        Guard("list volumes", async () =>
        {
            var response = await client.Volumes.ListAsync(new VolumesListParameters { Filters = labels is null ? null : Filters(labels) }, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<VolumeInfo>)(response.Volumes ?? []).Select(Volume).ToList();
        }, cancellationToken);

    public async Task<VolumeInfo?> InspectVolumeAsync(string name, CancellationToken cancellationToken)
    {
        var volume = await EngineFailures.FindAsync(Endpoint, $"inspect volume {name}", () => client.Volumes.InspectAsync(name, cancellationToken), cancellationToken).ConfigureAwait(false);
        return volume is null ? null : Volume(volume);
    }

    public Task<string> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken) =>
        Guard($"create volume {spec.Name}", async () => (await client.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = spec.Name,
            Driver = spec.Driver!,
            DriverOpts = spec.DriverOptions.ToDictionary(),
            Labels = spec.Labels.ToDictionary(),
        }, cancellationToken).ConfigureAwait(false)).Name, cancellationToken);

    public Task<bool> RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken) =>
        EngineFailures.RemoveAsync(Endpoint, $"remove volume {name}", () => client.Volumes.RemoveAsync(name, force, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(IReadOnlyDictionary<string, string?>? labels, CancellationToken cancellationToken) =>
        Guard("list networks", async () =>
        {
            var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = labels is null ? null : Filters(labels) }, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<NetworkInfo>)networks.Select(n => new NetworkInfo(n.ID, n.Name, n.Driver ?? string.Empty, n.Scope ?? string.Empty, n.Internal, n.Attachable, Dictionary(n.Labels))).ToList();
        }, cancellationToken);

    public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken) =>
        Guard($"create network {spec.Name}", async () => (await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = spec.Name,
            Driver = spec.Driver!,
            Internal = spec.Internal,
            Attachable = spec.Attachable,
            Options = spec.Options.ToDictionary(),
            Labels = spec.Labels.ToDictionary(),
        }, cancellationToken).ConfigureAwait(false)).ID, cancellationToken);

    public Task<bool> RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken) =>
        EngineFailures.RemoveAsync(Endpoint, $"remove network {idOrName}", () => client.Networks.DeleteNetworkAsync(idOrName, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<SwarmNodeInfo>> ListNodesAsync(CancellationToken cancellationToken) =>
        Guard("list the swarm's nodes", async () =>
        {
            var nodes = await client.Swarm.ListNodesAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<SwarmNodeInfo>)nodes.Select(n => new SwarmNodeInfo(n.ID, n.Description?.Hostname ?? string.Empty, n.Spec?.Role ?? string.Empty,
                n.Spec?.Availability ?? string.Empty, n.Status?.State ?? string.Empty, n.ManagerStatus?.Leader ?? false, n.Status?.Addr ?? string.Empty,
                Dictionary(n.Spec?.Labels), (long)(n.Version?.Index ?? 0))).ToList();
        }, cancellationToken);

    public Task UpdateNodeLabelsAsync(SwarmNodeInfo node, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Guard($"update the labels of node {node.Hostname}", () => client.Swarm.UpdateNodeAsync(node.Id, (ulong)node.Version, new NodeUpdateParameters
        {
            Role = node.Role,
            Availability = node.Availability,
            Labels = labels.ToDictionary(),
        }, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<SwarmService>> ListServicesAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        Guard("list swarm services", async () => (IReadOnlyList<SwarmService>)(await client.Swarm.ListServicesAsync(
            new ServiceListParameters { Filters = Filters(labels), Status = true }, cancellationToken).ConfigureAwait(false)).ToList(), cancellationToken);

    public Task<SwarmService?> InspectServiceAsync(string idOrName, CancellationToken cancellationToken) =>
        EngineFailures.FindAsync(Endpoint, $"inspect swarm service {idOrName}", () => client.Swarm.InspectServiceAsync(idOrName, cancellationToken), cancellationToken);

    public Task<string> CreateServiceAsync(ServiceSpec spec, RegistryAuth? auth, CancellationToken cancellationToken) =>
        Guard($"create swarm service {spec.Name}", async () => (await client.Swarm.CreateServiceAsync(
            new ServiceCreateParameters { Service = spec, RegistryAuth = Auth(auth)! }, cancellationToken).ConfigureAwait(false)).ID!, cancellationToken);

    public Task UpdateServiceAsync(string id, long version, ServiceSpec spec, RegistryAuth? auth, CancellationToken cancellationToken) =>
        Guard($"update swarm service {spec.Name}", () => client.Swarm.UpdateServiceAsync(id,
            new ServiceUpdateParameters { Service = spec, Version = version, RegistryAuth = Auth(auth)! }, cancellationToken), cancellationToken);

    public Task<bool> RemoveServiceAsync(string idOrName, CancellationToken cancellationToken) =>
        EngineFailures.RemoveAsync(Endpoint, $"remove swarm service {idOrName}", () => client.Swarm.RemoveServiceAsync(idOrName, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<SwarmTaskInfo>> ListTasksAsync(string serviceId, CancellationToken cancellationToken) =>
        Guard($"list the tasks of swarm service {Short(serviceId)}", async () =>
        {
            var tasks = await client.Tasks.ListAsync(new TasksListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [serviceId] = true } },
            }, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<SwarmTaskInfo>)tasks.Select(t => new SwarmTaskInfo(t.ID, t.ServiceID ?? string.Empty, t.NodeID ?? string.Empty, (long)(t.Slot ?? 0),
                State(t.Status?.State), State(t.DesiredState), t.Status?.Message ?? string.Empty, t.Status?.Err ?? string.Empty,
                t.Status?.ContainerStatus?.ContainerID ?? string.Empty, t.Status?.Timestamp ?? DateTime.MinValue, t.Spec?.ContainerSpec?.Image ?? string.Empty)).ToList();
        }, cancellationToken);

    public Task<IReadOnlyList<SwarmObjectInfo>> ListConfigsAsync(CancellationToken cancellationToken) =>
        Guard("list swarm configs", async () => (IReadOnlyList<SwarmObjectInfo>)(await client.Configs.ListConfigsAsync(cancellationToken).ConfigureAwait(false))
            .Select(c => new SwarmObjectInfo(c.ID ?? string.Empty, c.Spec?.Name ?? string.Empty, Dictionary(c.Spec?.Labels))).ToList(), cancellationToken);

    public Task<string> CreateConfigAsync(string name, byte[] data, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Guard($"create swarm config {name}", async () => (await client.Configs.CreateConfigAsync(new SwarmCreateConfigParameters
        {
            Config = new SwarmConfigSpec { Name = name, Data = data, Labels = labels.ToDictionary() },
        }, cancellationToken).ConfigureAwait(false)).ID!, cancellationToken);

    public Task<bool> RemoveConfigAsync(string id, CancellationToken cancellationToken) =>
        EngineFailures.RemoveAsync(Endpoint, $"remove swarm config {Short(id)}", () => client.Configs.RemoveConfigAsync(id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<SwarmObjectInfo>> ListSecretsAsync(CancellationToken cancellationToken) =>
        Guard("list swarm secrets", async () => (IReadOnlyList<SwarmObjectInfo>)(await client.Secrets.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(c => new SwarmObjectInfo(c.ID ?? string.Empty, c.Spec?.Name ?? string.Empty, Dictionary(c.Spec?.Labels))).ToList(), cancellationToken);

    // The name only: the data is never part of a message.
    public Task<string> CreateSecretAsync(string name, byte[] data, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Guard($"create swarm secret {name}", async () => (await client.Secrets.CreateAsync(new SwarmSecretSpec
        {
            Name = name, Data = data, Labels = labels.ToDictionary(),
        }, cancellationToken).ConfigureAwait(false)).ID!, cancellationToken);

    public Task<bool> RemoveSecretAsync(string id, CancellationToken cancellationToken) =>
        EngineFailures.RemoveAsync(Endpoint, $"remove swarm secret {Short(id)}", () => client.Secrets.DeleteAsync(id, cancellationToken), cancellationToken);

    private Task<T> Guard<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken) => EngineFailures.GuardAsync(Endpoint, what, call, cancellationToken);

    private Task Guard(string what, Func<Task> call, CancellationToken cancellationToken) => EngineFailures.GuardAsync(Endpoint, what, call, cancellationToken);

    private static string Tail(LogQuery query) => query.Tail?.ToString(CultureInfo.InvariantCulture) ?? "all";

    private static string? Since(LogQuery query) => query.Since is { } since ? UnixTime(since) : null;

    // The engine takes seconds with a fraction ("1700000000.250000000"), so -Since is not rounded to the second.
    private static string UnixTime(DateTimeOffset time) =>
        string.Create(CultureInfo.InvariantCulture, $"{time.ToUnixTimeSeconds()}.{(time.UtcTicks % TimeSpan.TicksPerSecond) * 100:D9}");

    private static IDictionary<string, IDictionary<string, bool>> Filters(IReadOnlyDictionary<string, string?> labels) =>
        new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = labels.ToDictionary(p => p.Value is null ? p.Key : $"{p.Key}={p.Value}", _ => true),
        };

    private static AuthConfig? Auth(RegistryAuth? auth) => auth is null ? null : new AuthConfig
    {
        ServerAddress = auth.ServerAddress,
        Username = auth.UserName,
        Password = auth.Password,
        IdentityToken = auth.IdentityToken,
    };

    private static string State(TaskState? state) => state?.ToString().ToLowerInvariant() ?? string.Empty;

    private static uint Seconds(TimeSpan grace) => (uint)Math.Max(0, Math.Ceiling(grace.TotalSeconds));

    private static string Short(string id) => id.Length > 12 && !id.Contains('-') ? id[..12] : id;

    private static IReadOnlyDictionary<string, string> Dictionary(IDictionary<string, string>? labels) =>
        labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels);

    private static VolumeInfo Volume(VolumeResponse volume) =>
        new(volume.Name, volume.Driver ?? string.Empty, volume.Mountpoint ?? string.Empty, Dictionary(volume.Labels));

    private static LiveContainer Container(ContainerListResponse container) => new(
        container.ID,
        container.Names?.FirstOrDefault()?.TrimStart('/') ?? string.Empty,
        container.Labels?.TryGetValue(ComposeLabels.Service, out var service) == true ? service : string.Empty,
        LiveContainer.ParseState(container.State),
        LiveContainer.HealthOf(container.Status, container.Health?.Status),
        container.Status ?? string.Empty,
        container.ImageID ?? string.Empty,
        container.Created,
        (container.Ports ?? []).Where(p => p.PublicPort > 0)
            .Select(p => $"{(string.IsNullOrEmpty(p.IP) ? string.Empty : p.IP + ":")}{p.PublicPort}->{p.PrivatePort}/{p.Type}")
            .Distinct().ToList(),
        Dictionary(container.Labels));

    // Called on the reading thread, in order (Progress<T> would post each report to the thread pool, out of order).
    private sealed class Callback<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
