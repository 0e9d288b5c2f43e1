using System.Collections.Concurrent;

namespace Datamancy.Engine;

/// <summary>
/// Follows the engine's event stream for one project and lets workers wait for a container to be
/// started, healthy or exited. Events are read from just before the tracker started, so a change
/// that happens while the stream connects is not lost.
/// </summary>
public sealed class EventTracker : IDisposable
{
    private readonly ConcurrentDictionary<string, ContainerStatus> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _seededAt = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private Task? _stream;

    public void Start(IDockerEngine engine, string project)
    {
        var query = new EventQuery(DateTimeOffset.UtcNow.AddSeconds(-2), ["container"], LabelFilter.Project(project));
        _stream = Task.Run(() => engine.MonitorEventsAsync(query, Report, _stop.Token));
    }

    /// <summary>
    /// Records what is known now (from a list, an inspect or an action just taken) about a container;
    /// events older than this moment, replayed by the stream, no longer change it.
    /// </summary>
    public void Seed(string id, bool running, HealthStatus health, long? exitCode) => Seed(id, running, health, exitCode, Now());

    /// <summary>Records what a read that began at <paramref name="observedAt"/> (<see cref="Now"/>) found; only later events change it.</summary>
    public void Seed(string id, bool running, HealthStatus health, long? exitCode, long observedAt)
    {
        _seededAt[id] = observedAt;
        Update(id, _ => new ContainerStatus(running, health, exitCode));
    }

    /// <summary>The time in the events' unit, nanoseconds since the epoch (the engine runs on this host's clock).</summary>
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;

    public ContainerStatus? Get(string id) => _states.TryGetValue(id, out var state) ? state : null;

    /// <summary>Waits until <paramref name="verdict"/> says true or false for the container, or the timeout passes (null).</summary>
    public async Task<bool?> WaitAsync(string id, Func<ContainerStatus, bool?> verdict, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (Get(id) is { } state && verdict(state) is { } answer)
            {
                return answer;
            }

            if (_stream is { IsFaulted: true })
            {
                throw _stream.Exception!.InnerException ?? _stream.Exception;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    public void Report(EngineEvent value)
    {
        var id = value.ActorId;
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(value.Action))
        {
            return;
        }

        if (value.TimeNano > 0 && _seededAt.TryGetValue(id, out var seeded) && value.TimeNano < seeded)
        {
            return;
        }

        var action = value.Action;
        if (action == "start")
        {
            Update(id, s => s with { Running = true, ExitCode = null, Health = s.Health == HealthStatus.None ? HealthStatus.None : HealthStatus.Starting });
        }
        else if (action == "die")
        {
            var exit = value.Attributes.TryGetValue("exitCode", out var code) && long.TryParse(code, out var parsed) ? parsed : -1;
            Update(id, s => s with { Running = false, ExitCode = exit });
        }
        else if (action.StartsWith("health_status", StringComparison.Ordinal))
        {
            var health = action.Contains("unhealthy", StringComparison.Ordinal) ? HealthStatus.Unhealthy : action.Contains("healthy", StringComparison.Ordinal) ? HealthStatus.Healthy : HealthStatus.Starting;
            Update(id, s => s with { Health = health });
        }
        else if (action == "destroy")
        {
            Update(id, s => s with { Running = false, Removed = true });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _stream?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The stream ends by cancellation; nothing to report.
        }

        _stop.Dispose();
    }

    private void Update(string id, Func<ContainerStatus, ContainerStatus> change)
    {
        _states.AddOrUpdate(id, _ => change(new ContainerStatus(false, HealthStatus.None, null)), (_, old) => change(old));
        lock (_gate)
        {
            _changed.TrySetResult();
            _changed = NewSignal();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A container's state as the events tell it.</summary>
public sealed record ContainerStatus(bool Running, HealthStatus Health, long? ExitCode, bool Removed = false)
{
    public bool Exited => !Running && ExitCode is not null;

    /// <summary>True once healthy; false when unhealthy or exited; null while it may still get there.</summary>
    public bool? HealthyVerdict => Health == HealthStatus.Healthy ? true : Health == HealthStatus.Unhealthy || Exited ? false : null;

    /// <summary>For a job: true when it exited with 0, false with another code, null while it runs.</summary>
    public bool? CompletedVerdict => Exited ? ExitCode == 0 : null;
}
