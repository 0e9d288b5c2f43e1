using Datamancy.Stack.Model;

namespace Datamancy.Engine;

/// <summary>
/// Lets a few container starts reach the engine at a time, the most urgent first. The engine does a
/// start's network and runtime setup one part at a time, so 33 starts sent at once finish in an
/// arbitrary order, and a service on the longest depends_on chain can wait seconds behind services
/// nothing waits for. A service's urgency is the length of the longest chain through it; those on
/// a longest chain of the plan never wait for a turn (they still take one).
/// </summary>
public sealed class StartQueue
{
    private readonly object _lock = new();
    private readonly PriorityQueue<TaskCompletionSource, (int Urgency, long Order)> _waiting = new();
    private readonly int _width;
    private readonly IReadOnlyDictionary<string, int> _urgencies;
    private readonly int _critical;
    private int _running;
    private long _order;

    /// <summary>A queue for starting <paramref name="services"/>, <paramref name="width"/> at a time besides those on a longest chain.</summary>
    public StartQueue(int width, IReadOnlyCollection<ServiceDefinition> services)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        _width = width;
        _urgencies = Urgencies(services);
        // A plan without depends_on has no chain to favour.
        _critical = Math.Max(2, _urgencies.Values.DefaultIfEmpty(0).Max());
    }

    /// <summary>Waits for <paramref name="service"/>'s turn; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(string service, CancellationToken cancellationToken)
    {
        var urgency = _urgencies.GetValueOrDefault(service, 1);
        TaskCompletionSource turn;
        lock (_lock)
        {
            if (_running < _width || urgency >= _critical)
            {
                _running++;
                return new Turn(this);
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(turn, (-urgency, _order++));
        }

        await using (cancellationToken.Register(() => turn.TrySetCanceled(cancellationToken)).ConfigureAwait(false))
        {
            await turn.Task.ConfigureAwait(false);
        }

        return new Turn(this);
    }

    /// <summary>For each service, the length of the longest chain of <paramref name="services"/>'s depends_on that passes through it (1 alone).</summary>
    public static IReadOnlyDictionary<string, int> Urgencies(IReadOnlyCollection<ServiceDefinition> services)
    {
        var names = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var upstream = services.ToDictionary(s => s.Name, s => s.DependsOn.Select(d => d.Service).Where(names.Contains).ToList(), StringComparer.Ordinal);
        var downstream = services.SelectMany(s => upstream[s.Name].Select(u => (Upstream: u, Downstream: s.Name)))
            .ToLookup(p => p.Upstream, p => p.Downstream, StringComparer.Ordinal);
        var above = new Dictionary<string, int>(StringComparer.Ordinal);
        var below = new Dictionary<string, int>(StringComparer.Ordinal);
        return names.ToDictionary(n => n, n => Longest(n, above, u => upstream[u], 0) + Longest(n, below, d => downstream[d], 0) - 1, StringComparer.Ordinal);

        // Chain lengths ending (or starting) at a service. The model refuses cyclic depends_on; the depth guard only bounds a bad input.
        int Longest(string name, Dictionary<string, int> memo, Func<string, IEnumerable<string>> next, int depth)
        {
            if (memo.TryGetValue(name, out var known))
            {
                return known;
            }

            var length = 1 + (depth > names.Count ? 0 : next(name).Select(n => Longest(n, memo, next, depth + 1)).DefaultIfEmpty(0).Max());
            memo[name] = length;
            return length;
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            // The slot goes to the most urgent waiter, skipping those cancelled. A turn a chain's start
            // took without waiting is passed on too: capping the queue back to its width measured
            // slower (median 21.9 s against 18.2 s on the bench's stack).
            while (_waiting.TryDequeue(out var next, out _))
            {
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _running--;
        }
    }

    private sealed class Turn(StartQueue queue) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                queue.Release();
            }
        }
    }
}
