using System.Diagnostics;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Reporting;

namespace Datamancy.Engine;

/// <summary>Restarts services' containers in place and waits for each to be healthy (or running) again.</summary>
public sealed class Restarter(IDockerEngine engine, IReporter reporter)
{
    /// <summary>
    /// Reads the live state and pairs each service with its container; a service without one gets the
    /// failed result (ContainerNotFound) the restart reports for it, so -WhatIf can report it too.
    /// </summary>
    public static async Task<IReadOnlyList<RestartStep>> PlanAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        CancellationToken cancellationToken)
    {
        var live = await ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        return services.Select(service => live.GetValueOrDefault(service.Name) is { } container
            ? new RestartStep(service, container, null)
            : new RestartStep(service, null, Failed(stack, service, TimeSpan.Zero, string.Empty, ErrorIds.ContainerNotFound,
                $"Service '{service.Name}' has no container to restart; start it with Start-DatamancyService -Name {service.Name}."))).ToList();
    }

    /// <summary>Restarts the planned services that have a container; a step without one yields its failure as planned.</summary>
    public async Task<IReadOnlyList<ServiceResult>> RestartAsync(StackDefinition stack, IReadOnlyList<RestartStep> steps,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var tracker = new EventTracker();
        tracker.Start(engine, stack.ProjectName);
        var tasks = steps.Select(step => step.Failure is { } failure
            ? Task.FromResult(failure)
            : RestartOneAsync(stack, step.Service, step.Container!, tracker, timeout, cancellationToken));
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task<ServiceResult> RestartOneAsync(StackDefinition stack, ServiceDefinition service, LiveContainer container,
        EventTracker tracker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            reporter.Progress(service.Name, "restarting");
            var wantsHealth = service.Healthcheck is { Disable: false };
            await engine.RestartContainerAsync(container.Id, Reconciler.StopGrace(service), cancellationToken).ConfigureAwait(false);

            // The restart has returned with the container running: only what happens from now on counts
            // (the stop's own "die" event must not read as a crash).
            tracker.Seed(container.Id, true, wantsHealth ? HealthStatus.Starting : HealthStatus.None, null);
            var ready = await tracker.WaitAsync(container.Id,
                s => wantsHealth ? s.HealthyVerdict : !s.Exited,
                timeout, cancellationToken).ConfigureAwait(false);
            reporter.Progress(service.Name, "done");
            if (ready != true)
            {
                var exited = tracker.Get(container.Id) is { Running: false, ExitCode: { } code } ? $" (it exited with code {code})" : string.Empty;
                return Failed(stack, service, watch.Elapsed, container.Id, ErrorIds.ServiceUnhealthy,
                    $"Service '{service.Name}' did not become {(wantsHealth ? "healthy" : "running")}{(ready is null ? $" within {timeout.TotalSeconds:0} s" : string.Empty)} after the restart{exited}. See Get-DatamancyLog -Name {service.Name}.");
            }

            var state = tracker.Get(container.Id);
            return new ServiceResult(service.Name, ServiceAction.Restart, true, state?.Running == true ? ContainerState.Running : ContainerState.Exited, state?.Health ?? HealthStatus.None,
                container.Id[..12], watch.Elapsed, string.Empty, stack.Directory);
        }
        catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception))
        {
            return Failed(stack, service, watch.Elapsed, container.Id, ErrorIds.ServiceFailed, $"Service '{service.Name}' could not be restarted: {exception.Message}");
        }
    }

    private static ServiceResult Failed(StackDefinition stack, ServiceDefinition service, TimeSpan elapsed, string id, string errorId, string message) =>
        new(service.Name, ServiceAction.Restart, false, ContainerState.Unknown, HealthStatus.Unknown, id.Length >= 12 ? id[..12] : id, elapsed, message, stack.Directory, errorId);
}

/// <summary>One service of a restart: its container, or the failure a restart without one reports.</summary>
public sealed record RestartStep(ServiceDefinition Service, LiveContainer? Container, ServiceResult? Failure);
