using Datamancy.Engine;
using Datamancy.Stack.Model;
using Docker.DotNet.Models;

namespace Datamancy.Swarm;

/// <summary>
/// A stack's swarm services seen as LiveState, so that the checks made for containers (Container,
/// Dependencies) and the fingerprint judge swarm services the same way. A service is Running when
/// all its desired tasks run; a task with a healthcheck runs only once healthy (moby#24545), so a
/// running service whose spec has a healthcheck is Healthy. Status says running/desired and the
/// nodes, or the latest task's state and error. The image is the spec's pinned ref@sha256:…: the
/// ImageId is that of the manager's local copy when it holds one (the value Compose records), else
/// the manifest digest, which the manager can always tell.
/// </summary>
public static class SwarmLiveStates
{
    public static async Task<IReadOnlyDictionary<string, LiveState>> ReadAsync(IDockerEngine engine, StackDefinition stack, CancellationToken cancellationToken)
    {
        await SwarmPlanner.RequireManagerAsync(engine, cancellationToken).ConfigureAwait(false);
        var nodes = (await engine.ListNodesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(n => n.Id, n => n.Hostname, StringComparer.Ordinal);
        var services = await SwarmInventory.ByNameAsync(engine, stack, cancellationToken).ConfigureAwait(false);
        var images = services.Count == 0 ? [] : await engine.ListImagesAsync(cancellationToken).ConfigureAwait(false);
        var states = new Dictionary<string, LiveState>(StringComparer.Ordinal);
        foreach (var service in stack.Services)
        {
            if (services.TryGetValue(SwarmLabels.ServiceName(stack.ProjectName, service.Name), out var swarm))
            {
                var tasks = await engine.ListTasksAsync(swarm.ID!, cancellationToken).ConfigureAwait(false);
                states[service.Name] = From(swarm, tasks, id => nodes.GetValueOrDefault(id, id), images);
            }
        }

        return states;
    }

    /// <summary>The state of one swarm service from its tasks; <paramref name="nodeName"/> turns a node ID into its hostname.</summary>
    public static LiveState From(SwarmService service, IReadOnlyList<SwarmTaskInfo> tasks, Func<string, string> nodeName, IReadOnlyList<LocalImage> images)
    {
        var spec = service.Spec!;
        var image = spec.TaskTemplate?.ContainerSpec?.Image ?? string.Empty;
        var (repoDigest, manifest) = Pinned(image);
        var imageId = images.FirstOrDefault(i => repoDigest.Length > 0 && i.RepoDigests.Contains(repoDigest, StringComparer.Ordinal))?.Id ?? manifest;
        var latest = tasks.OrderByDescending(t => t.Timestamp).FirstOrDefault();
        var latestText = latest is null ? "no task yet" : $"latest task {latest.State} on {nodeName(latest.NodeId)}: {(latest.Error.Length > 0 ? latest.Error : latest.Message)}";
        LiveState State(ContainerState state, HealthStatus health, string status) =>
            new(state, health, Short(latest?.ContainerId), status, service.CreatedAt, imageId, repoDigest, []);

        if (spec.Mode?.ReplicatedJob is not null)
        {
            // The job's exit reads like a container's ("Exited (0)"), which the Container check parses.
            return tasks.Any(t => t.State == "complete")
                ? State(ContainerState.Exited, HealthStatus.None, "Exited (0): its job task completed")
                : latest?.State is "failed" or "rejected"
                    ? State(ContainerState.Exited, HealthStatus.None, latestText)
                    : State(latest?.State == "running" ? ContainerState.Running : ContainerState.Created, HealthStatus.None, latestText);
        }

        var desired = (long)(service.ServiceStatus?.DesiredTasks ?? spec.Mode?.Replicated?.Replicas ?? 1);
        var running = tasks.Where(t => t.State == "running" && t.DesiredState == "running").ToList();
        var count = $"{running.Count}/{desired} tasks running";
        if (desired == 0)
        {
            return State(ContainerState.Exited, HealthStatus.None, $"{count}: scaled to 0 (stopped)");
        }

        if (running.Count >= desired)
        {
            var nodes = string.Join(", ", running.Select(t => nodeName(t.NodeId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            return State(ContainerState.Running, HasHealthcheck(spec) ? HealthStatus.Healthy : HealthStatus.None, $"{count} on {nodes}");
        }

        var status = $"{count}; {latestText}";
        return latest?.State switch
        {
            "starting" => State(ContainerState.Running, HealthStatus.Starting, status),
            "failed" or "rejected" => State(ContainerState.Dead, HealthStatus.None, status),
            "shutdown" or "complete" or "orphaned" or "remove" => State(ContainerState.Exited, HealthStatus.None, status),
            _ => State(ContainerState.Created, HealthStatus.None, status),
        };
    }

    /// <summary>"repo@sha256:…" and "sha256:…" of a pinned reference ("repo:tag@sha256:…"); empty when the image is not pinned.</summary>
    public static (string RepoDigest, string Digest) Pinned(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return (string.Empty, string.Empty);
        }

        var name = image[..at];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return ((colon > slash ? name[..colon] : name) + image[at..], image[(at + 1)..]);
    }

    private static bool HasHealthcheck(ServiceSpec spec) =>
        spec.TaskTemplate?.ContainerSpec?.Healthcheck?.Test is { Count: > 0 } test && test[0] != "NONE";

    private static string Short(string? id) => id is null ? string.Empty : id[..Math.Min(12, id.Length)];
}
