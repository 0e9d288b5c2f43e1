using Datamancy.Engine;
using Datamancy.Errors;
using Docker.DotNet.Models;

namespace Datamancy.Tests.Fakes;

// Containers: create, start, stop, restart, remove, rename, wait, inspect.
public sealed partial class FakeEngine
{
    private readonly List<FakeContainer> _containers = [];

    /// <summary>The containers that exist now.</summary>
    public IReadOnlyList<FakeContainer> Containers
    {
        get
        {
            lock (_lock)
            {
                return [.. _containers];
            }
        }
    }

    /// <summary>The container of a service (or with that name), or null.</summary>
    public FakeContainer? ContainerOf(string serviceOrName)
    {
        lock (_lock)
        {
            return _containers.LastOrDefault(c => c.Service == serviceOrName || c.Name == serviceOrName);
        }
    }

    /// <summary>Puts a container of a compose project there, as an earlier run left it (no events).</summary>
    public FakeContainer AddContainer(string project, string service, ContainerState state, HealthStatus health = HealthStatus.None,
        IReadOnlyDictionary<string, string>? labels = null, string? imageId = null, long exitCode = 0)
    {
        var all = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ComposeLabels.Project] = project,
            [ComposeLabels.Service] = service,
            [ComposeLabels.OneOff] = "False",
        };
        var container = new FakeContainer(NewId(service), $"{project}-{service}-1", service, imageId ?? "sha256:" + NewId("image"), all,
            health != HealthStatus.None, null, DateTime.UtcNow.AddMinutes(-1))
        {
            State = state,
            Health = health,
            ExitCode = exitCode,
        };
        lock (_lock)
        {
            _containers.Add(container);
        }

        return container;
    }

    public Task<IReadOnlyList<LiveContainer>> ListContainersAsync(ContainerQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _calls.Add("list containers");
            return Task.FromResult<IReadOnlyList<LiveContainer>>(_containers
                .Where(c => query.All || c.IsRunning)
                .Where(c => LabelsMatch(c.Labels, query.Labels))
                .Select(c => c.ToLive()).ToList());
        }
    }

    public Task<ContainerInspectResponse?> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var c = Find(id);
            return Task.FromResult(c is null ? null : new ContainerInspectResponse
            {
                ID = c.Id,
                Name = "/" + c.Name,
                Image = c.ImageId,
                Config = new ContainerConfig { Labels = c.Labels.ToDictionary(), Image = c.Image },
                State = new State
                {
                    Running = c.IsRunning,
                    Status = c.State.ToString().ToLowerInvariant(),
                    ExitCode = c.ExitCode,
                    Health = c.HasHealthcheck ? new Health
                    {
                        Status = c.Health.ToString().ToLowerInvariant(),
                        Log = c.HealthOutput.Length == 0 ? [] : [new HealthcheckResult { ExitCode = c.Health == HealthStatus.Healthy ? 0 : 1, Output = c.HealthOutput }],
                    } : null,
                },
            });
        }
    }

    public async Task<string> CreateContainerAsync(CreateContainerParameters spec, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>(spec.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var service = labels.GetValueOrDefault(ComposeLabels.Service, string.Empty);
        await EnterAsync("create", [service, spec.Name ?? string.Empty], service.Length > 0 ? service : spec.Name ?? spec.Image, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var image = FindImage(spec.Image) ?? throw Refusal(ErrorIds.EngineObjectNotFound, $"No such image: {spec.Image}");
            var name = spec.Name is { Length: > 0 } given ? given : "fake_" + NewId("name")[..8];
            if (_containers.Any(c => c.Name == name))
            {
                throw Refusal(ErrorIds.EngineConflict, $"Conflict. The container name \"/{name}\" is already in use.");
            }

            var healthcheck = spec.Healthcheck is { Test: { Count: > 0 } test } && test[0] != "NONE";
            var container = new FakeContainer(NewId(name), name, spec.Image, image.Id, labels, healthcheck, spec, DateTime.UtcNow);
            _containers.Add(container);
            Emit(container, "create");
            return container.Id;
        }
    }

    public async Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        await EnterAsync("start", id, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var container = Existing(id);
            if (!container.IsRunning)
            {
                Start(container);
            }
        }
    }

    public async Task<bool> StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        await EnterAsync("stop", id, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var container = Existing(id);
            if (!container.IsRunning)
            {
                return false;
            }

            Stop(container, 0);
            return true;
        }
    }

    public async Task RestartContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        await EnterAsync("restart", id, cancellationToken).ConfigureAwait(false);
        FakeContainer container;
        lock (_lock)
        {
            container = Existing(id);
            if (container.IsRunning)
            {
                Stop(container, 0);
            }
        }

        // A real restart takes a while between the stop and the start: the stop's events are then
        // clearly older than what a caller records once the restart returned (which watchers rely on).
        await Task.Delay(TimeSpan.FromMilliseconds(3), CancellationToken.None).ConfigureAwait(false);
        lock (_lock)
        {
            Start(container);
        }
    }

    public async Task<bool> RemoveContainerAsync(string id, bool removeVolumes, CancellationToken cancellationToken)
    {
        await EnterAsync("remove", id, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (Find(id) is not { } container)
            {
                return false;
            }

            if (container.IsRunning)
            {
                Stop(container, 137);
            }

            container.Stopped.TrySetResult();
            container.State = ContainerState.Removed;
            _containers.Remove(container);
            Emit(container, "destroy");
            return true;
        }
    }

    public async Task RenameContainerAsync(string id, string newName, CancellationToken cancellationToken)
    {
        await EnterAsync("rename", id, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var container = Existing(id);
            if (_containers.Any(c => c.Name == newName && c != container))
            {
                throw Refusal(ErrorIds.EngineConflict, $"Conflict. The container name \"/{newName}\" is already in use.");
            }

            container.Name = newName;
            Emit(container, "rename");
        }
    }

    public async Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken)
    {
        await EnterAsync("wait", id, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var container = Existing(id);
                if (container.State is ContainerState.Exited or ContainerState.Created)
                {
                    return container.ExitCode;
                }

                changed = _stateChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ConnectNetworkAsync(string network, string containerId, EndpointSettings? endpoint, CancellationToken cancellationToken)
    {
        await EnterAsync("connect", containerId, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            Existing(containerId).ConnectedNetworks.Add(network);
        }
    }

    public async Task PutArchiveAsync(string containerId, string path, Stream tar, CancellationToken cancellationToken)
    {
        await EnterAsync("put-archive", containerId, cancellationToken).ConfigureAwait(false);
        using var copy = new MemoryStream();
        await tar.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            Existing(containerId).Archives.Add((path, copy.ToArray()));
        }
    }

    private Task EnterAsync(string operation, string id, CancellationToken cancellationToken)
    {
        string[] names;
        string subject;
        lock (_lock)
        {
            var container = Find(id);
            names = container is null ? [id] : [id, container.Name, container.Service];
            subject = container is null ? id : container.Service.Length > 0 ? container.Service : container.Name;
        }

        return EnterAsync(operation, names, subject, cancellationToken);
    }

    // Under the lock.
    private FakeContainer? Find(string idOrName) =>
        _containers.FirstOrDefault(c => c.Id == idOrName || c.Name == idOrName || (idOrName.Length >= 12 && c.Id.StartsWith(idOrName, StringComparison.Ordinal)));

    private FakeContainer Existing(string idOrName) =>
        Find(idOrName) ?? throw Refusal(ErrorIds.EngineObjectNotFound, $"No such container: {idOrName}");

    private static bool LabelsMatch(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string?>? wanted) =>
        wanted is null || wanted.All(w => labels.TryGetValue(w.Key, out var value) && (w.Value is null || w.Value == value));
}
