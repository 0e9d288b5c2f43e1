using Datamancy.Engine;
using Datamancy.Errors;
using Docker.DotNet.Models;

namespace Datamancy.Tests.Fakes;

/// <summary>
/// A swarm manager in memory: nodes with labels, services with versions, and one task per service
/// that runs at once (or fails, for a service named in <see cref="FailingServices"/>), so the swarm
/// planner and deployer can be tested without an engine.
/// </summary>
public sealed partial class FakeEngine
{
    private readonly Dictionary<string, SwarmService> _services = new(StringComparer.Ordinal);
    private readonly List<SwarmNodeInfo> _nodes = [];
    private readonly List<SwarmTaskInfo> _tasks = [];
    private readonly Dictionary<string, (SwarmObjectInfo Info, byte[] Data)> _configs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SwarmObjectInfo Info, byte[] Data)> _secrets = new(StringComparer.Ordinal);

    /// <summary>GetInfoAsync reports a swarm manager.</summary>
    public bool IsSwarmManager { get; set; }

    /// <summary>Swarm service names whose updates the swarm rolls back.</summary>
    public HashSet<string> FailingServices { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<SwarmService> Services
    {
        get
        {
            lock (_lock)
            {
                return [.. _services.Values];
            }
        }
    }

    public FakeEngine AddNode(string hostname, string role = "worker", IReadOnlyDictionary<string, string>? labels = null)
    {
        lock (_lock)
        {
            _nodes.Add(new SwarmNodeInfo("id-" + hostname, hostname, role, "active", "ready", role == "manager", "10.0.0." + (_nodes.Count + 1),
                labels ?? new Dictionary<string, string>(), 1));
        }

        return this;
    }

    /// <summary>Sets a node's state as the manager sees it (ready, down, unknown ...).</summary>
    public FakeEngine SetNodeState(string hostname, string state)
    {
        lock (_lock)
        {
            var index = _nodes.FindIndex(n => n.Hostname == hostname);
            _nodes[index] = _nodes[index] with { State = state };
        }

        return this;
    }

    /// <summary>What GET /services/{id}/logs answers for a service, by swarm service name: the raw multiplexed bytes (frame headers and all).</summary>
    public Dictionary<string, byte[]> ServiceLogs { get; } = new(StringComparer.Ordinal);

    /// <summary>The queries the service logs were read with, in order.</summary>
    public List<LogQuery> ServiceLogQueries { get; } = [];

    public async Task<IOutputReader> ReadServiceLogsAsync(string serviceId, LogQuery query, CancellationToken cancellationToken)
    {
        var name = (await InspectServiceAsync(serviceId, cancellationToken).ConfigureAwait(false))?.Spec?.Name ?? serviceId;
        await EnterAsync("service-logs", [name], name, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            ServiceLogQueries.Add(query);
            return FrameReader.Over(new MemoryStream(ServiceLogs.GetValueOrDefault(name, [])));
        }
    }

    /// <summary>One frame of the Engine API's multiplexed stream: stream 1 stdout, 2 stderr, 3 the engine's own message.</summary>
    public static byte[] Frame(int stream, string text)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = (byte)stream;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    public Task<IReadOnlyList<SwarmNodeInfo>> ListNodesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SwarmNodeInfo>>([.. _nodes]);
        }
    }

    public async Task UpdateNodeLabelsAsync(SwarmNodeInfo node, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        await EnterAsync("update-node", [node.Hostname], node.Hostname, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var index = _nodes.FindIndex(n => n.Id == node.Id);
            _nodes[index] = _nodes[index] with { Labels = new Dictionary<string, string>(labels), Version = _nodes[index].Version + 1 };
        }
    }

    public Task<IReadOnlyList<SwarmService>> ListServicesAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SwarmService>>(_services.Values
                .Where(s => LabelsMatch((IReadOnlyDictionary<string, string>)new Dictionary<string, string>(s.Spec!.Labels!), labels)).ToList());
        }
    }

    public Task<SwarmService?> InspectServiceAsync(string idOrName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_services.Values.FirstOrDefault(s => s.ID == idOrName || s.Spec!.Name == idOrName));
        }
    }

    public async Task<string> CreateServiceAsync(ServiceSpec spec, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        await EnterAsync("create-service", [spec.Name!], spec.Name!, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_services.ContainsKey(spec.Name!))
            {
                throw Refusal(ErrorIds.EngineConflict, $"service {spec.Name} already exists");
            }

            var service = new SwarmService { ID = NewId(spec.Name!), Spec = spec, Version = new Docker.DotNet.Models.Version { Index = 1 } };
            _services[spec.Name!] = service;
            RunTask(service);
            return service.ID;
        }
    }

    public async Task UpdateServiceAsync(string id, long version, ServiceSpec spec, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        await EnterAsync("update-service", [spec.Name!], spec.Name!, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var service = _services.Values.Single(s => s.ID == id);
            if ((long)service.Version!.Index! != version)
            {
                throw Refusal(ErrorIds.EngineError, "update out of sequence");
            }

            var failed = FailingServices.Contains(spec.Name!);
            service.PreviousSpec = service.Spec;
            service.Spec = failed ? service.Spec : spec;
            service.Version = new Docker.DotNet.Models.Version { Index = service.Version.Index + 1 };
            service.UpdateStatus = new Docker.DotNet.Models.UpdateStatus
            {
                State = failed ? "rollback_completed" : "completed",
                StartedAt = DateTime.UtcNow,
                Message = failed ? "update rolled back due to failure or early termination of task fake" : "update completed",
            };
            if (failed)
            {
                _tasks.Add(new SwarmTaskInfo(NewId("task"), service.ID!, "id-node", 1, "failed", "shutdown", "started", "task: non-zero exit (1)", string.Empty,
                    DateTime.UtcNow, spec.TaskTemplate!.ContainerSpec!.Image!));
            }

            RunTask(service);
        }
    }

    public async Task<bool> RemoveServiceAsync(string idOrName, CancellationToken cancellationToken)
    {
        await EnterAsync("remove-service", [idOrName], idOrName, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var service = _services.Values.FirstOrDefault(s => s.ID == idOrName || s.Spec!.Name == idOrName);
            return service is not null && _services.Remove(service.Spec!.Name!);
        }
    }

    public Task<IReadOnlyList<SwarmTaskInfo>> ListTasksAsync(string serviceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SwarmTaskInfo>>(_tasks.Where(t => t.ServiceId == serviceId).ToList());
        }
    }

    // Called under the lock: the service's current task shuts down and one of its spec runs on the first node.
    private void RunTask(SwarmService service)
    {
        for (var i = 0; i < _tasks.Count; i++)
        {
            if (_tasks[i].ServiceId == service.ID && _tasks[i].DesiredState == "running")
            {
                _tasks[i] = _tasks[i] with { DesiredState = "shutdown", State = "shutdown" };
            }
        }

        var job = service.Spec!.Mode?.ReplicatedJob is not null;
        _tasks.Add(new SwarmTaskInfo(NewId("task"), service.ID!, _nodes.FirstOrDefault()?.Id ?? "id-node", 1, job ? "complete" : "running", job ? "complete" : "running",
            "started", string.Empty, NewId("container"), DateTime.UtcNow, service.Spec.TaskTemplate!.ContainerSpec!.Image!));
        service.ServiceStatus = new Docker.DotNet.Models.ServiceStatus { RunningTasks = job ? 0UL : 1UL, DesiredTasks = 1 };
    }

    public IReadOnlyDictionary<string, byte[]> Configs
    {
        get
        {
            lock (_lock)
            {
                return _configs.Values.ToDictionary(c => c.Info.Name, c => c.Data);
            }
        }
    }

    public Task<IReadOnlyList<SwarmObjectInfo>> ListConfigsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SwarmObjectInfo>>(_configs.Values.Select(c => c.Info).ToList());
        }
    }

    public async Task<string> CreateConfigAsync(string name, byte[] data, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        await EnterAsync("create-config", [name], name, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var info = new SwarmObjectInfo(NewId(name), name, new Dictionary<string, string>(labels));
            _configs[info.Id] = (info, data);
            return info.Id;
        }
    }

    public async Task<bool> RemoveConfigAsync(string id, CancellationToken cancellationToken)
    {
        await EnterAsync("remove-config", [id], id, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return _configs.Remove(id);
        }
    }

    public IReadOnlyDictionary<string, byte[]> Secrets
    {
        get
        {
            lock (_lock)
            {
                return _secrets.Values.ToDictionary(c => c.Info.Name, c => c.Data);
            }
        }
    }

    public Task<IReadOnlyList<SwarmObjectInfo>> ListSecretsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SwarmObjectInfo>>(_secrets.Values.Select(c => c.Info).ToList());
        }
    }

    public async Task<string> CreateSecretAsync(string name, byte[] data, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        await EnterAsync("create-secret", [name], name, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var info = new SwarmObjectInfo(NewId(name), name, new Dictionary<string, string>(labels));
            _secrets[info.Id] = (info, data);
            return info.Id;
        }
    }

    public async Task<bool> RemoveSecretAsync(string id, CancellationToken cancellationToken)
    {
        await EnterAsync("remove-secret", [id], id, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return _secrets.Remove(id);
        }
    }
}
