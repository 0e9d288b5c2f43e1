using System.Diagnostics;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Stack.Model;
using Docker.DotNet.Models;

namespace Datamancy.Swarm;

/// <summary>One service of a swarm restart: its swarm service, or the failure a restart without one reports.</summary>
public sealed record SwarmRestartStep(ServiceDefinition Service, SwarmService? Existing, ServiceResult? Failure);

/// <summary>
/// Restarts swarm services as docker service update --force does: TaskTemplate.ForceUpdate goes up by
/// one and nothing else of the spec changes, so the swarm replaces each task by its update_config
/// (a rolling replace, rolled back when the new task fails). Done when the update completed and the
/// new task runs healthy; a rollback is a failure with the swarm's reason.
/// </summary>
public sealed class SwarmRestarter(IDockerEngine engine, IReporter reporter)
{
    /// <summary>Each service with its swarm service; one that has none, or runs no task (stopped), gets its failure now, so -WhatIf reports it too.</summary>
    public static async Task<IReadOnlyList<SwarmRestartStep>> PlanAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        CancellationToken cancellationToken)
    {
        await SwarmPlanner.RequireManagerAsync(engine, cancellationToken).ConfigureAwait(false);
        var live = await SwarmInventory.ByNameAsync(engine, stack, cancellationToken).ConfigureAwait(false);
        return services.Select(service =>
        {
            var existing = live.GetValueOrDefault(SwarmLabels.ServiceName(stack.ProjectName, service.Name));
            var problem = existing is null
                ? $"Service '{service.Name}' has no swarm service in stack '{stack.ProjectName}' to restart; deploy its profile with Start-DatamancyProfile -Orchestrator Swarm."
                : existing.Spec!.Mode?.Replicated?.Replicas is 0
                    ? $"Swarm service {existing.Spec.Name} is stopped (0 tasks): there is no task to restart; start its profile with Start-DatamancyProfile -Orchestrator Swarm."
                    : null;
            return new SwarmRestartStep(service, problem is null ? existing : null,
                problem is null ? null : Result(stack, service, false, string.Empty, TimeSpan.Zero, problem, ErrorIds.ContainerNotFound));
        }).ToList();
    }

    /// <summary>Restarts the planned services that have a swarm service, all at once; a step without one yields its failure as planned.</summary>
    public async Task<IReadOnlyList<ServiceResult>> RestartAsync(StackDefinition stack, IReadOnlyList<SwarmRestartStep> steps, TimeSpan timeout,
        CancellationToken cancellationToken) =>
        await Task.WhenAll(steps.Select(step => step.Failure is { } failure
            ? Task.FromResult(failure)
            : RestartOneAsync(stack, step.Service, step.Existing!, timeout, cancellationToken))).ConfigureAwait(false);

    /// <summary>The spec a restart sends: the service's own, with ForceUpdate one higher.</summary>
    public static ServiceSpec ForcedSpec(SwarmService existing)
    {
        var spec = existing.Spec!;
        spec.TaskTemplate!.ForceUpdate++;
        return spec;
    }

    private async Task<ServiceResult> RestartOneAsync(StackDefinition stack, ServiceDefinition service, SwarmService existing, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var id = existing.ID!;
        try
        {
            reporter.Progress(service.Name, "restarting (new tasks)");
            var previousStart = existing.UpdateStatus?.StartedAt;
            var spec = ForcedSpec(existing);
            await engine.UpdateServiceAsync(id, (long)(existing.Version?.Index ?? 0), spec, null, cancellationToken).ConfigureAwait(false);
            await new SwarmWaiter(engine, reporter).WaitUpdatedAsync(service.Name, id, spec, previousStart, timeout, cancellationToken).ConfigureAwait(false);
            reporter.Progress(service.Name, "done");
            var task = (await engine.ListTasksAsync(id, cancellationToken).ConfigureAwait(false))
                .Where(t => t.State == "running" && t.DesiredState == "running").MaxBy(t => t.Timestamp);
            return Result(stack, service, true, task?.ContainerId ?? id, watch.Elapsed, string.Empty, string.Empty);
        }
        catch (DatamancyException exception) when (exception.ErrorId != ErrorIds.EngineUnreachable)
        {
            return Result(stack, service, false, id, watch.Elapsed, exception.Message, exception.ErrorId);
        }
    }

    private static ServiceResult Result(StackDefinition stack, ServiceDefinition service, bool succeeded, string id, TimeSpan elapsed, string error, string errorId) =>
        new(service.Name, ServiceAction.Restart, succeeded, succeeded ? ContainerState.Running : ContainerState.Unknown,
            !succeeded ? HealthStatus.Unknown : service.Healthcheck is { Disable: false } ? HealthStatus.Healthy : HealthStatus.None,
            id.Length >= 12 ? id[..12] : id, elapsed, error, stack.Directory, errorId);
}
