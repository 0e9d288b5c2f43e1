using System.Diagnostics;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Docker.DotNet.Models;

namespace Datamancy.Swarm;

/// <summary>One service of a swarm stop: Stop (scale to 0, spec kept), Remove, or Unchanged when there is nothing to do.</summary>
public sealed record SwarmStopStep(ServiceDefinition Service, ServiceAction Action, SwarmService? Existing)
{
    public bool IsChange => Action != ServiceAction.Unchanged;

    public string Describe() => Action == ServiceAction.Remove
        ? $"Remove swarm service {Existing!.Spec!.Name}"
        : $"Scale swarm service {Existing!.Spec!.Name} to 0 tasks (its spec is kept)";
}

/// <summary>
/// Stops a stack's services on a swarm in reverse depends_on order: scaled to 0, or removed with the
/// stack's overlay networks, configs and secrets that no service of the stack still uses. Only objects labelled with the
/// stack's namespace are touched.
/// </summary>
public sealed class SwarmStopper(IDockerEngine engine, IReporter reporter)
{
    private static readonly TimeSpan NetworkRetry = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<SwarmStopStep>> PlanAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services, bool remove,
        CancellationToken cancellationToken)
    {
        await SwarmPlanner.RequireManagerAsync(engine, cancellationToken).ConfigureAwait(false);
        var live = await SwarmInventory.ByNameAsync(engine, stack, cancellationToken).ConfigureAwait(false);
        return DependencyGraph.InDependencyOrder(services).Reverse().Select(service =>
        {
            var existing = live.GetValueOrDefault(SwarmLabels.ServiceName(stack.ProjectName, service.Name));
            var action = existing is null ? ServiceAction.Unchanged
                : remove ? ServiceAction.Remove
                : existing.Spec!.Mode?.Replicated?.Replicas is 0 || existing.Spec.Mode?.Replicated is null ? ServiceAction.Unchanged
                : ServiceAction.Stop;
            return new SwarmStopStep(service, action, existing);
        }).ToList();
    }

    public async Task<IReadOnlyList<ServiceResult>> StopAsync(StackDefinition stack, IReadOnlyList<SwarmStopStep> approved, bool removeNetworks, CancellationToken cancellationToken)
    {
        var results = new List<ServiceResult>();
        foreach (var step in approved)
        {
            var watch = Stopwatch.StartNew();
            var existing = step.Existing!;
            reporter.Progress(step.Service.Name, step.Action == ServiceAction.Remove ? "removing" : "scaling to 0");
            if (step.Action == ServiceAction.Remove)
            {
                await engine.RemoveServiceAsync(existing.ID!, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var spec = existing.Spec!;
                spec.Mode!.Replicated!.Replicas = 0;
                await engine.UpdateServiceAsync(existing.ID!, (long)(existing.Version?.Index ?? 0), spec, null, cancellationToken).ConfigureAwait(false);
            }

            results.Add(new ServiceResult(step.Service.Name, step.Action, true, step.Action == ServiceAction.Remove ? ContainerState.Removed : ContainerState.Exited,
                HealthStatus.None, existing.ID!.Length >= 12 ? existing.ID[..12] : existing.ID, watch.Elapsed, string.Empty, stack.Directory));
        }

        if (removeNetworks)
        {
            await RemoveUnusedNetworksAsync(stack, cancellationToken).ConfigureAwait(false);
            await SwarmObjectStore.RemoveAllUnusedAsync(engine, stack, reporter, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    // A network is removed once no service of the stack is attached; its tasks' endpoints go a moment after the services (moby#42119), hence the retries.
    private async Task RemoveUnusedNetworksAsync(StackDefinition stack, CancellationToken cancellationToken)
    {
        var remaining = await engine.ListServicesAsync(SwarmLabels.Stack(stack.ProjectName), cancellationToken).ConfigureAwait(false);
        var used = remaining.SelectMany(s => s.Spec?.TaskTemplate?.Networks ?? []).Select(n => n.Target).ToHashSet(StringComparer.Ordinal);
        var networks = await engine.ListNetworksAsync(SwarmLabels.Stack(stack.ProjectName), cancellationToken).ConfigureAwait(false);
        foreach (var network in networks.Where(n => !used.Contains(n.Name) && !used.Contains(n.Id)))
        {
            var deadline = DateTime.UtcNow + NetworkRetry;
            while (true)
            {
                try
                {
                    await engine.RemoveNetworkAsync(network.Id, cancellationToken).ConfigureAwait(false);
                    reporter.Verbose($"Removed overlay network {network.Name}.");
                    break;
                }
                catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(500, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
