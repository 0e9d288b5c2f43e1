using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Docker.DotNet.Models;

namespace Datamancy.Swarm;

/// <summary>What the swarm runs of a stack: its services with their tasks, and its nodes with what they carry.</summary>
public static class SwarmInventory
{
    /// <summary>The stack's swarm services by their swarm name (&lt;project&gt;_&lt;service&gt;), from one listing.</summary>
    public static async Task<IReadOnlyDictionary<string, SwarmService>> ByNameAsync(IDockerEngine engine, StackDefinition stack, CancellationToken cancellationToken) =>
        (await engine.ListServicesAsync(SwarmLabels.Stack(stack.ProjectName), cancellationToken).ConfigureAwait(false))
            .Where(s => s.Spec?.Name is not null).ToDictionary(s => s.Spec!.Name!, StringComparer.Ordinal);

    public static async Task<IReadOnlyList<SwarmServiceState>> ServicesAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        CancellationToken cancellationToken)
    {
        await SwarmPlanner.RequireManagerAsync(engine, cancellationToken).ConfigureAwait(false);
        var nodes = (await engine.ListNodesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(n => n.Id, n => n.Hostname, StringComparer.Ordinal);
        var live = await ByNameAsync(engine, stack, cancellationToken).ConfigureAwait(false);
        var result = new List<SwarmServiceState>();
        foreach (var service in services)
        {
            var name = SwarmLabels.ServiceName(stack.ProjectName, service.Name);
            if (!live.TryGetValue(name, out var swarm))
            {
                result.Add(new SwarmServiceState(service.Name, [.. service.Profiles], string.Empty, service.Image ?? string.Empty, 0, 0, [], string.Empty, string.Empty, stack.Directory));
                continue;
            }

            var running = (await engine.ListTasksAsync(swarm.ID!, cancellationToken).ConfigureAwait(false))
                .Where(t => t.State == "running" && t.DesiredState == "running").ToList();
            result.Add(new SwarmServiceState(service.Name, [.. service.Profiles], name, swarm.Spec!.TaskTemplate?.ContainerSpec?.Image ?? string.Empty,
                running.Count, (long)(swarm.ServiceStatus?.DesiredTasks ?? swarm.Spec.Mode?.Replicated?.Replicas ?? 0),
                [.. running.Select(t => nodes.GetValueOrDefault(t.NodeId, t.NodeId)).Distinct().Order(StringComparer.Ordinal)],
                swarm.UpdateStatus?.State ?? string.Empty, swarm.UpdateStatus?.Message ?? string.Empty, stack.Directory));
        }

        return result;
    }

    public static async Task<IReadOnlyList<NodeInfo>> NodesAsync(IDockerEngine engine, StackDefinition stack, CancellationToken cancellationToken)
    {
        await SwarmPlanner.RequireManagerAsync(engine, cancellationToken).ConfigureAwait(false);
        var nodes = await engine.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var placed = new List<(string Node, string Service)>();
        foreach (var service in await engine.ListServicesAsync(SwarmLabels.Stack(stack.ProjectName), cancellationToken).ConfigureAwait(false))
        {
            var name = service.Spec?.Labels?.TryGetValue(SwarmLabels.Service, out var label) == true ? label : service.Spec?.Name ?? string.Empty;
            foreach (var task in await engine.ListTasksAsync(service.ID!, cancellationToken).ConfigureAwait(false))
            {
                if (task.DesiredState == "running" && task.NodeId.Length > 0)
                {
                    placed.Add((task.NodeId, name));
                }
            }
        }

        return nodes.OrderBy(n => n.Hostname, StringComparer.Ordinal).Select(n => Node(n, placed.Where(p => p.Node == n.Id).Select(p => p.Service), stack)).ToList();
    }

    /// <summary>
    /// Pins each of <paramref name="services"/> to the node <paramref name="nodeName"/>: that node gets
    /// datamancy.&lt;service&gt;=true and every other node loses the label (a local volume lives on one node).
    /// </summary>
    public static async Task<IReadOnlyList<NodeInfo>> PinAsync(IDockerEngine engine, StackDefinition stack, string nodeName, IReadOnlyList<string> services,
        CancellationToken cancellationToken)
    {
        await SwarmPlanner.RequireManagerAsync(engine, cancellationToken).ConfigureAwait(false);
        var nodes = await engine.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        var target = nodes.FirstOrDefault(n => n.Hostname == nodeName || n.Id == nodeName)
            ?? throw new DatamancyException(ErrorIds.SwarmNodeNotFound, ErrorKind.ObjectNotFound,
                $"The swarm has no node '{nodeName}'. Its nodes are: {string.Join(", ", nodes.Select(n => n.Hostname).Order(StringComparer.Ordinal))} (Get-DatamancyNode lists them).", nodeName);
        var keys = services.Select(SwarmLabels.NodeLabel).ToHashSet(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var labels = node.Labels.Where(l => !keys.Contains(l.Key)).ToDictionary(StringComparer.Ordinal);
            if (node.Id == target.Id)
            {
                foreach (var key in keys)
                {
                    labels[key] = "true";
                }
            }

            if (labels.Count != node.Labels.Count || labels.Any(l => node.Labels.GetValueOrDefault(l.Key) != l.Value))
            {
                await engine.UpdateNodeLabelsAsync(node, labels, cancellationToken).ConfigureAwait(false);
            }
        }

        return (await NodesAsync(engine, stack, cancellationToken).ConfigureAwait(false)).Where(n => n.Id == target.Id).ToList();
    }

    private static NodeInfo Node(SwarmNodeInfo node, IEnumerable<string> services, StackDefinition stack) =>
        new(node.Hostname, node.Id, node.Role, node.Availability, node.State, node.Leader, node.Address,
            [.. node.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")],
            [.. services.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], stack.Directory);
}
