using System.Globalization;
using Datamancy.Errors;

namespace Datamancy.Engine;

/// <summary>Reads a container's log through the engine: stdout and stderr demultiplexed, one entry per line, with its timestamp.</summary>
public static class LogReader
{
    /// <summary>The container of <paramref name="service"/> among the project's containers (one listing for any number of services).</summary>
    public static string ContainerOf(IReadOnlyDictionary<string, LiveContainer> containers, string project, string service) =>
        containers.TryGetValue(service, out var container)
            ? container.Id
            : throw new DatamancyException(ErrorIds.ContainerNotFound, ErrorKind.ObjectNotFound,
                $"Service '{service}' has no container in project '{project}'; start it with Start-DatamancyService -Name {service}.", service);

    /// <summary>
    /// The log's entries as they are read: with <see cref="LogQuery.Follow"/> the stream stays open and
    /// new lines arrive until cancelled. Within one frame's lines the engine's order is kept; stdout
    /// and stderr lines are not sorted against each other here (see <see cref="ReadAllAsync"/>).
    /// </summary>
    public static async IAsyncEnumerable<LogEntry> StreamAsync(IDockerEngine engine, string containerId, string service, LogQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = await engine.ReadLogsAsync(containerId, query, cancellationToken).ConfigureAwait(false);
        await foreach (var (target, line) in OutputLines.ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            yield return Parse(service, target, line);
        }
    }

    /// <summary>The whole requested part of the log, stdout and stderr merged in time order.</summary>
    public static Task<IReadOnlyList<LogEntry>> ReadAllAsync(IDockerEngine engine, string containerId, string service, int? tail,
        DateTimeOffset? since, CancellationToken cancellationToken) =>
        InTimeOrderAsync(StreamAsync(engine, containerId, service, new LogQuery(tail, since, false), cancellationToken));

    /// <summary>All of a log's entries, stdout and stderr (and, on a swarm, every task) merged in time order.</summary>
    internal static async Task<IReadOnlyList<LogEntry>> InTimeOrderAsync(IAsyncEnumerable<LogEntry> log)
    {
        var entries = new List<LogEntry>();
        await foreach (var entry in log.ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        return entries.OrderBy(e => e.Timestamp).ToList();
    }

    /// <summary>
    /// Follows the logs of several containers at once, as `docker logs --follow` does: each entry is
    /// handed to <paramref name="emit"/> as soon as it is read, from any thread, until cancelled or
    /// until every container's log ends (its container stopped or was removed).
    /// </summary>
    public static Task FollowAsync(IDockerEngine engine, IReadOnlyList<(string Service, string ContainerId)> sources, int? tail,
        DateTimeOffset? since, Action<LogEntry> emit, CancellationToken cancellationToken)
    {
        var query = new LogQuery(tail, since, true);
        return FollowAllAsync(sources.Select(source => StreamAsync(engine, source.ContainerId, source.Service, query, cancellationToken)), emit);
    }

    /// <summary>Reads several followed logs at once, each entry handed to <paramref name="emit"/> as soon as it is read.</summary>
    internal static async Task FollowAllAsync(IEnumerable<IAsyncEnumerable<LogEntry>> logs, Action<LogEntry> emit) =>
        await Task.WhenAll(logs.Select(async log =>
        {
            await foreach (var entry in log.ConfigureAwait(false))
            {
                emit(entry);
            }
        })).ConfigureAwait(false);

    // With timestamps on, the engine starts each line with an RFC 3339 time and a space.
    internal static LogEntry Parse(string service, OutputTarget target, string line)
    {
        var space = line.IndexOf(' ');
        var stamp = space > 0 && DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        var message = (stamp == DateTimeOffset.MinValue ? line : line[(space + 1)..]).TrimEnd('\r');
        return new LogEntry(service, stamp, target == OutputTarget.StandardError ? "stderr" : "stdout", message);
    }
}
