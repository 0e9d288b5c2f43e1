using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;

namespace Datamancy.Swarm;

/// <summary>
/// Carries out a swarm plan: the missing overlay networks, configs and secrets, then every service as
/// soon as all its dependencies' tasks run healthy (a swarm has no depends_on of its own), independent
/// services at the same time. A failed service skips its dependents; the others still deploy. Results
/// come back in plan order.
/// </summary>
public sealed class SwarmDeployer(IDockerEngine engine, IReporter reporter)
{
    // Services whose tasks are being created and started at a time, besides those on a longest
    // depends_on chain (which never wait for a turn: StartQueue). A turn lasts until the service's
    // task has its container started: the nodes' container starts are the work; waiting for a
    // healthcheck is not. Measured on bench/SwarmBench.ps1's stack (2 cores, shared): 59.5 and 57.1 s
    // with 2 at a time, 59.8 and 52.7 s with 8. The width hardly matters: the longest chain, whose
    // services never wait for a turn, sets the time, one healthcheck after another.
    private const int Width = 8;

    public async Task<IReadOnlyList<ServiceResult>> DeployAsync(SwarmPlan plan, IReadOnlyList<SwarmServicePlan> approved, TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var network in plan.MissingNetworks)
        {
            reporter.Verbose($"Creating overlay network {network.Name}{(network.Internal ? " (internal)" : string.Empty)}.");
            await engine.CreateNetworkAsync(network, cancellationToken).ConfigureAwait(false);
        }

        var configIds = await SwarmObjectStore.EnsureAsync(engine, SwarmObjectKind.Config, plan.Stack, plan.MissingConfigs, reporter, cancellationToken).ConfigureAwait(false);
        var secretIds = await SwarmObjectStore.EnsureAsync(engine, SwarmObjectKind.Secret, plan.Stack, plan.MissingSecrets, reporter, cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = new Run(plan, new StartQueue(Width, plan.Services.Select(s => s.Service).ToList()), new SwarmWaiter(engine, reporter), configIds, secretIds, timeout, stop);
        var tasks = new Dictionary<string, Task<ServiceResult>>(StringComparer.Ordinal);
        foreach (var step in plan.Services)
        {
            // Plan order is depends_on order, so every dependency's task is already in the map.
            tasks[step.Service.Name] = DeployServiceAsync(step, !step.IsNoOp && !approved.Contains(step), tasks, run);
        }

        try
        {
            await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        }
        catch (Exception) when (tasks.Values.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } first)
        {
            // The failure that stopped the deploy, not the cancellations it caused in the others.
            ExceptionDispatchInfo.Throw(first);
        }

        await SwarmObjectStore.RemoveAllUnusedAsync(engine, plan.Stack, reporter, cancellationToken).ConfigureAwait(false);
        return tasks.Values.Select(t => t.Result).ToList();
    }

    private async Task<ServiceResult> DeployServiceAsync(SwarmServicePlan step, bool declined, IReadOnlyDictionary<string, Task<ServiceResult>> tasks, Run run)
    {
        await Task.Yield();
        var service = step.Service;
        var watch = Stopwatch.StartNew();
        foreach (var dependency in service.DependsOn.Where(d => tasks.ContainsKey(d.Service)))
        {
            reporter.Progress(service.Name, $"waiting for {dependency.Service}");
            var upstream = await tasks[dependency.Service].ConfigureAwait(false);
            if (!upstream.Succeeded)
            {
                reporter.Progress(service.Name, "skipped: " + dependency.Service + " failed");
                return Result(run.Plan, step, ServiceAction.Skipped, new DatamancyException(ErrorIds.DependencyFailed, ErrorKind.InvalidOperation,
                    $"Swarm service {step.Spec.Name} was not deployed: its dependency {dependency.Service} failed.", service.Name), string.Empty, watch.Elapsed);
            }
        }

        if (declined)
        {
            return Result(run.Plan, step, ServiceAction.Skipped, null, string.Empty, watch.Elapsed);
        }

        var id = step.Existing?.ID ?? string.Empty;
        try
        {
            using var turn = await run.Turns.EnterAsync(service.Name, run.Stop.Token).ConfigureAwait(false);
            watch.Restart();
            reporter.Progress(service.Name, step.Action.ToString().ToLowerInvariant());
            id = await ApplyAsync(step, run, turn.Dispose).ConfigureAwait(false);
            reporter.Progress(service.Name, "done");
            return Result(run.Plan, step, step.Action, null, id, watch.Elapsed);
        }
        catch (DatamancyException exception) when (exception.ErrorId != ErrorIds.EngineUnreachable)
        {
            reporter.Progress(service.Name, "failed");
            return Result(run.Plan, step, step.Action, exception, id, watch.Elapsed);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The engine is gone (or worse): the other services stop too, and DeployAsync throws this.
            await run.Stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Creates or updates the service and waits until its tasks run healthy; an unchanged one is still waited for, since its dependents need its tasks running.
    private async Task<string> ApplyAsync(SwarmServicePlan step, Run run, Action started)
    {
        var name = step.Service.Name;
        var token = run.Stop.Token;
        foreach (var reference in step.Spec.TaskTemplate!.ContainerSpec!.Configs ?? [])
        {
            reference.ConfigID = run.ConfigIds[reference.ConfigName!];
        }

        foreach (var reference in step.Spec.TaskTemplate!.ContainerSpec!.Secrets ?? [])
        {
            reference.SecretID = run.SecretIds[reference.SecretName!];
        }

        switch (step.Action)
        {
            case ServiceAction.Create:
            {
                var id = await engine.CreateServiceAsync(step.Spec, null, token).ConfigureAwait(false);
                await run.Waiter.WaitReadyAsync(name, id, step.Spec, run.Timeout, token, started).ConfigureAwait(false);
                return id;
            }

            case ServiceAction.Update:
            {
                var existing = step.Existing!;
                var previousStart = existing.UpdateStatus?.StartedAt;
                await engine.UpdateServiceAsync(existing.ID!, (long)(existing.Version?.Index ?? 0), step.Spec, null, token).ConfigureAwait(false);
                // The swarm rolls the update one task at a time and watches it for the monitor window: no turn is held for that.
                started();
                await run.Waiter.WaitUpdatedAsync(name, existing.ID!, step.Spec, previousStart, run.Timeout, token).ConfigureAwait(false);
                return existing.ID!;
            }

            default:
                started();
                await run.Waiter.WaitReadyAsync(name, step.Existing!.ID!, step.Existing.Spec!, run.Timeout, token).ConfigureAwait(false);
                return step.Existing.ID!;
        }
    }

    private static ServiceResult Result(SwarmPlan plan, SwarmServicePlan step, ServiceAction action, DatamancyException? error, string id, TimeSpan duration) =>
        new(step.Service.Name, action, error is null, error is null && action != ServiceAction.Skipped ? ContainerState.Running : ContainerState.Unknown,
            error is null && action != ServiceAction.Skipped && step.Service.Healthcheck is { Disable: false } ? HealthStatus.Healthy : HealthStatus.Unknown,
            id.Length >= 12 ? id[..12] : id, duration, error?.Message ?? string.Empty, plan.Stack.Directory, error?.ErrorId ?? string.Empty);

    private sealed record Run(SwarmPlan Plan, StartQueue Turns, SwarmWaiter Waiter, IReadOnlyDictionary<string, string> ConfigIds,
        IReadOnlyDictionary<string, string> SecretIds, TimeSpan Timeout, CancellationTokenSource Stop);
}
