using System.Security.Cryptography;
using System.Text;
using Datamancy.Engine;
using Datamancy.Errors;
using Version = System.Version;

namespace Datamancy.Tests.Fakes;

/// <summary>
/// An in-memory Docker engine behind the seam, for unit tests of the orchestrators: containers with
/// their state, health transitions and events, images, scripted execs, volumes and networks. Every
/// call is recorded in <see cref="Calls"/> ("start db", "stop web") in the order the engine got it.
/// <see cref="Fail"/> and <see cref="Hang"/> make one operation on one object refuse or block; the
/// engine's refusals are DatamancyExceptions with the ids the real adapter gives (EngineError,
/// EngineConflict, EngineObjectNotFound). Thread-safe: one lock guards all state.
/// </summary>
public sealed partial class FakeEngine : IDockerEngine
{
    private readonly object _lock = new();
    private readonly List<string> _calls = [];
    private readonly List<(string Operation, string Target, Func<CancellationToken, Task> Action)> _injections = [];
    private readonly CancellationTokenSource _closed = new();
    private int _sequence;

    public Uri Endpoint { get; } = new("unix:///fake/docker.sock");

    public Version ApiVersion { get; } = new(1, 41);

    public string EngineVersion => "20.10.0-fake";

    /// <summary>Every call, as "operation subject", in order (the subject is the service of a container when it has one).</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The calls of one operation ("start", "stop" ...), by subject, in order.</summary>
    public IReadOnlyList<string> CallsOf(string operation) =>
        Calls.Where(c => c.StartsWith(operation + " ", StringComparison.Ordinal)).Select(c => c[(operation.Length + 1)..]).ToList();

    /// <summary>
    /// From now on, <paramref name="operation"/> ("create", "start", "stop", "restart", "remove", "rename", "exec",
    /// "pull", "remove-network", "remove-volume", ...) on <paramref name="target"/> (a service, a container, volume,
    /// network or image name; "*" for any) is refused with <paramref name="error"/> (default: an EngineError).
    /// </summary>
    public FakeEngine Fail(string operation, string target, DatamancyException? error = null) =>
        Inject(operation, target, _ => throw error ?? Refusal(ErrorIds.EngineError, $"{operation} {target}: fake refusal"));

    /// <summary>From now on, <paramref name="operation"/> on <paramref name="target"/> blocks until its caller's token is cancelled.</summary>
    public FakeEngine Hang(string operation, string target) =>
        Inject(operation, target, token => Task.Delay(Timeout.Infinite, token));

    /// <summary>Runs <paramref name="action"/> when <paramref name="operation"/> on <paramref name="target"/> is called, before the engine acts.</summary>
    public FakeEngine Inject(string operation, string target, Func<CancellationToken, Task> action)
    {
        lock (_lock)
        {
            _injections.Add((operation, target, action));
        }

        return this;
    }

    /// <summary>Runs <paramref name="action"/> (for example, cancelling a token) when the operation is called.</summary>
    public FakeEngine When(string operation, string target, Action action) =>
        Inject(operation, target, _ =>
        {
            action();
            return Task.CompletedTask;
        });

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(IsSwarmManager
            ? new EngineInfo("fake", 8L << 30, "Fake Linux", "active", "node-1", true)
            : new EngineInfo("fake", 8L << 30, "Fake Linux", "inactive", string.Empty, false));

    public void Dispose()
    {
        _closed.Cancel();
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Done.TrySetResult();
            }
        }
    }

    internal static DatamancyException Refusal(string errorId, string message) =>
        new(errorId, ErrorKind.InvalidOperation, message, null);

    // Records the call, then runs what the test injected for it (outside the lock: it may block).
    private async Task EnterAsync(string operation, IReadOnlyList<string> names, string subject, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<Func<CancellationToken, Task>> actions;
        lock (_lock)
        {
            _calls.Add($"{operation} {subject}");
            actions = _injections.Where(i => i.Operation == operation && (i.Target == "*" || names.Contains(i.Target))).Select(i => i.Action).ToList();
        }

        foreach (var action in actions)
        {
            await action(cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private string NewId(string seed)
    {
        var n = Interlocked.Increment(ref _sequence);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{n}"))).ToLowerInvariant();
    }
}
