using System.Diagnostics;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;

namespace Datamancy.Swarm;

/// <summary>
/// Carries out a swarm plan: the missing overlay networks, then each service in depends_on order,
/// each only after its dependencies' tasks run healthy (a swarm has no depends_on of its own). A
/// failed service skips its dependents; the others still deploy.
/// </summary>
public sealed class SwarmDeployer(IDockerEngine engine, IReporter reporter)
{
    public async Task<IReadOnlyList<ServiceResult>> DeployAsync(SwarmPlan plan, IReadOnlyList<SwarmServicePlan> approved, TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var network in plan.MissingNetworks)
        {
            reporter.Verbose($"Creating overlay network {network.Name}{(network.Internal ? " (internal)" : string.Empty)}.");
            await engine.CreateNetworkAsync(network, cancellationToken).ConfigureAwait(false);
        }

        var configIds = await SwarmObjectStore.EnsureAsync(engine, SwarmObjectKind.Config, plan.Stack, plan.MissingConfigs, reporter, cancellationToken).ConfigureAwait(false);
        var secretIds = await SwarmObjectStore.EnsureAsync(engine, SwarmObjectKind.Secret, plan.Stack, plan.MissingSecrets, reporter, cancellationToken).ConfigureAwait(false);
        var waiter = new SwarmWaiter(engine, reporter);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<ServiceResult>();
        foreach (var step in plan.Services)
        {
            var watch = Stopwatch.StartNew();
            var service = step.Service;
            var blocker = service.DependsOn.FirstOrDefault(d => failed.Contains(d.Service));
            if (blocker is not null || !approved.Contains(step) && !step.IsNoOp)
            {
                if (blocker is not null)
                {
                    failed.Add(service.Name);
                }

                results.Add(Result(plan, step, ServiceAction.Skipped, blocker is null ? null : new DatamancyException(ErrorIds.DependencyFailed, ErrorKind.InvalidOperation,
                    $"Swarm service {step.Spec.Name} was not deployed: its dependency {blocker.Service} failed.", service.Name), string.Empty, watch.Elapsed));
                continue;
            }

            var id = step.Existing?.ID ?? string.Empty;
            try
            {
                reporter.Progress(service.Name, step.Action.ToString().ToLowerInvariant());
                foreach (var reference in step.Spec.TaskTemplate!.ContainerSpec!.Configs ?? [])
                {
                    reference.ConfigID = configIds[reference.ConfigName!];
                }

                foreach (var reference in step.Spec.TaskTemplate!.ContainerSpec!.Secrets ?? [])
                {
                    reference.SecretID = secretIds[reference.SecretName!];
                }

                if (step.Action == ServiceAction.Create)
                {
                    id = await engine.CreateServiceAsync(step.Spec, null, cancellationToken).ConfigureAwait(false);
                    await waiter.WaitReadyAsync(service.Name, id, step.Spec, timeout, cancellationToken).ConfigureAwait(false);
                }
                else if (step.Action == ServiceAction.Update)
                {
                    var previousStart = step.Existing!.UpdateStatus?.StartedAt;
                    await engine.UpdateServiceAsync(id, (long)(step.Existing.Version?.Index ?? 0), step.Spec, null, cancellationToken).ConfigureAwait(false);
                    await waiter.WaitUpdatedAsync(service.Name, id, step.Spec, previousStart, timeout, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Unchanged: still waited for, since services after it depend on its tasks running.
                    await waiter.WaitReadyAsync(service.Name, id, step.Existing!.Spec!, timeout, cancellationToken).ConfigureAwait(false);
                }

                results.Add(Result(plan, step, step.Action, null, id, watch.Elapsed));
            }
            catch (DatamancyException exception) when (exception.ErrorId != ErrorIds.EngineUnreachable)
            {
                failed.Add(service.Name);
                results.Add(Result(plan, step, step.Action, exception, id, watch.Elapsed));
            }
        }

        await SwarmObjectStore.RemoveAllUnusedAsync(engine, plan.Stack, reporter, cancellationToken).ConfigureAwait(false);
        return results;
    }

    private static ServiceResult Result(SwarmPlan plan, SwarmServicePlan step, ServiceAction action, DatamancyException? error, string id, TimeSpan duration) =>
        new(step.Service.Name, action, error is null, error is null && action != ServiceAction.Skipped ? ContainerState.Running : ContainerState.Unknown,
            error is null && action != ServiceAction.Skipped && step.Service.Healthcheck is { Disable: false } ? HealthStatus.Healthy : HealthStatus.Unknown,
            id.Length >= 12 ? id[..12] : id, duration, error?.Message ?? string.Empty, plan.Stack.Directory, error?.ErrorId ?? string.Empty);
}
