using Datamancy.Engine;

namespace Datamancy.Tests.Fakes;

// The event stream: every container change is logged with the wall clock's time, replayed from a
// query's Since and then delivered live, in order, until the subscriber's token is cancelled.
public sealed partial class FakeEngine
{
    private readonly List<(EngineEvent Event, IReadOnlyDictionary<string, string> Labels)> _events = [];
    private readonly List<Subscriber> _subscribers = [];
    private TaskCompletionSource _stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastTime;

    /// <summary>The container events so far, as "action subject" ("start db", "health_status: healthy db").</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.Select(e => $"{e.Event.Action} {e.Labels.GetValueOrDefault(ComposeLabels.Service, e.Event.Attributes.GetValueOrDefault("name", string.Empty))}").ToList();
            }
        }
    }

    public async Task MonitorEventsAsync(EventQuery query, Action<EngineEvent> onEvent, CancellationToken cancellationToken)
    {
        var subscriber = new Subscriber(query, onEvent);
        lock (_lock)
        {
            var since = query.Since.ToUnixTimeMilliseconds() * 1_000_000;
            foreach (var (past, labels) in _events.Where(e => e.Event.TimeNano >= since))
            {
                subscriber.Deliver(past, labels);
            }

            _subscribers.Add(subscriber);
        }

        try
        {
            await subscriber.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The caller stopped following: the stream just ends, as the adapter's does.
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(subscriber);
            }
        }
    }

    // Under the lock.
    private void Emit(FakeContainer container, string action, IReadOnlyDictionary<string, string>? extra = null)
    {
        _lastTime = Math.Max((DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100, _lastTime + 1);
        var attributes = new Dictionary<string, string>(container.Labels, StringComparer.Ordinal) { ["name"] = container.Name, ["image"] = container.Image };
        foreach (var (key, text) in extra ?? new Dictionary<string, string>())
        {
            attributes[key] = text;
        }

        var value = new EngineEvent("container", action, container.Id, attributes, _lastTime);
        _events.Add((value, container.Labels));
        foreach (var subscriber in _subscribers)
        {
            subscriber.Deliver(value, container.Labels);
        }

        _stateChanged.TrySetResult();
        _stateChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Subscriber(EventQuery query, Action<EngineEvent> onEvent)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Deliver(EngineEvent value, IReadOnlyDictionary<string, string> labels)
        {
            if (query.Types.Contains(value.Type) && LabelsMatch(labels, query.Labels))
            {
                onEvent(value);
            }
        }
    }
}
