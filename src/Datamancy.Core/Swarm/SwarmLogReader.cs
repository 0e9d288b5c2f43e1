using System.Net;
using System.Runtime.CompilerServices;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Stack.Model;

namespace Datamancy.Swarm;

/// <summary>
/// Reads a swarm service's log through the manager (GET /services/{id}/logs): every task on every
/// node, stdout and stderr, each line with the task that wrote it and its node (the engine's details,
/// com.docker.swarm.task.id and .node.id, on API 1.41 as on later ones). A node that is down cannot
/// be read: that is a warning before anything is read (a followed log would otherwise wait on it in
/// silence), and the engine's own message about a node it could not reach becomes a warning too.
/// </summary>
public static class SwarmLogReader
{
    private const string NodeKey = "com.docker.swarm.node.id";
    private const string TaskKey = "com.docker.swarm.task.id";

    /// <summary>The stack's swarm services, id by swarm name (one listing for any number of services).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ServicesAsync(IDockerEngine engine, StackDefinition stack, CancellationToken cancellationToken)
    {
        await SwarmPlanner.RequireManagerAsync(engine, cancellationToken).ConfigureAwait(false);
        var live = await SwarmInventory.ByNameAsync(engine, stack, cancellationToken).ConfigureAwait(false);
        return live.Where(s => s.Value.ID is not null).ToDictionary(s => s.Key, s => s.Value.ID!, StringComparer.Ordinal);
    }

    /// <summary>The swarm service of <paramref name="service"/>, or ContainerNotFound as in Compose mode.</summary>
    public static string ServiceOf(IReadOnlyDictionary<string, string> services, StackDefinition stack, string service) =>
        services.TryGetValue(SwarmLabels.ServiceName(stack.ProjectName, service), out var id)
            ? id
            : throw new DatamancyException(ErrorIds.ContainerNotFound, ErrorKind.ObjectNotFound,
                $"Service '{service}' has no swarm service in stack '{stack.ProjectName}'; deploy its profile with Start-DatamancyProfile -Orchestrator Swarm.", service);

    /// <summary>The whole requested part of the log, every task's lines merged in time order.</summary>
    public static Task<IReadOnlyList<LogEntry>> ReadAllAsync(IDockerEngine engine, IReporter reporter, string service, string serviceId, int? tail,
        DateTimeOffset? since, CancellationToken cancellationToken) =>
        LogReader.InTimeOrderAsync(StreamAsync(engine, reporter, service, serviceId, new LogQuery(tail, since, false), cancellationToken));

    /// <summary>Follows several services' logs at once until cancelled; each entry goes to <paramref name="emit"/> as soon as it is read.</summary>
    public static Task FollowAsync(IDockerEngine engine, IReporter reporter, IReadOnlyList<(string Service, string ServiceId)> sources, int? tail,
        DateTimeOffset? since, Action<LogEntry> emit, CancellationToken cancellationToken)
    {
        var query = new LogQuery(tail, since, true);
        return LogReader.FollowAllAsync(sources.Select(source => StreamAsync(engine, reporter, source.Service, source.ServiceId, query, cancellationToken)), emit);
    }

    public static async IAsyncEnumerable<LogEntry> StreamAsync(IDockerEngine engine, IReporter reporter, string service, string serviceId, LogQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var nodes = (await engine.ListNodesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(n => n.Id, StringComparer.Ordinal);
        var tasks = await engine.ListTasksAsync(serviceId, cancellationToken).ConfigureAwait(false);
        var unreadable = WarnUnreadable(reporter, service, nodes, tasks);
        using var reader = await engine.ReadServiceLogsAsync(serviceId, query, cancellationToken).ConfigureAwait(false);
        await foreach (var (target, line) in OutputLines.ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            if (target != OutputTarget.EngineMessage)
            {
                yield return Parse(service, target, line, nodes);
            }
            else if (line.Length > 0 && !unreadable.Any(id => line.Contains(id, StringComparison.Ordinal)))
            {
                reporter.Warning($"Swarm service {service}: part of its log could not be read: {WithHostNames(line, nodes)}");
            }
        }
    }

    /// <summary>A line of a service log: the time, the task's details, then what the task wrote.</summary>
    internal static LogEntry Parse(string service, OutputTarget target, string line, IReadOnlyDictionary<string, SwarmNodeInfo> nodes)
    {
        var entry = LogReader.Parse(service, target, line);
        var space = entry.Message.IndexOf(' ');
        var details = space < 0 ? entry.Message : entry.Message[..space];
        if (!details.Contains(TaskKey + "=", StringComparison.Ordinal))
        {
            return entry;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in details.Split(','))
        {
            var equals = pair.IndexOf('=');
            if (equals > 0)
            {
                attributes[WebUtility.UrlDecode(pair[..equals])] = WebUtility.UrlDecode(pair[(equals + 1)..]);
            }
        }

        var nodeId = attributes.GetValueOrDefault(NodeKey, string.Empty);
        return new LogEntry(service, entry.Timestamp, entry.Stream, space < 0 ? string.Empty : entry.Message[(space + 1)..],
            attributes.GetValueOrDefault(TaskKey, string.Empty), nodes.TryGetValue(nodeId, out var node) ? node.Hostname : nodeId);
    }

    // The nodes that are not ready and hold tasks of the service: their lines cannot be read; said once per node.
    private static HashSet<string> WarnUnreadable(IReporter reporter, string service, IReadOnlyDictionary<string, SwarmNodeInfo> nodes, IReadOnlyList<SwarmTaskInfo> tasks)
    {
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in tasks.Where(t => nodes.TryGetValue(t.NodeId, out var node) && node.State != "ready").GroupBy(t => t.NodeId))
        {
            var node = nodes[group.Key];
            unreadable.Add(node.Id);
            reporter.Warning($"Swarm service {service}: node {node.Hostname} is {node.State}, so the log of its task(s) there " +
                $"({string.Join(", ", group.Select(t => t.Id))}) is left out until the node is back (docker node ls shows its state).");
        }

        return unreadable;
    }

    private static string WithHostNames(string text, IReadOnlyDictionary<string, SwarmNodeInfo> nodes) =>
        nodes.Values.Aggregate(text, (current, node) => node.Hostname.Length > 0 ? current.Replace(node.Id, node.Hostname, StringComparison.Ordinal) : current);
}
