using System.Diagnostics;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Reporting;

namespace Datamancy.Engine;

/// <summary>Restarts services' containers in place and waits for each to be healthy (or running) again.</summary>
public sealed class Restarter(IDockerEngine engine, IReporter reporter)
{
    public async Task<IReadOnlyList<ServiceResult>> RestartAsync(StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var live = await ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        using var tracker = new EventTracker();
        tracker.Start(engine, stack.ProjectName);
        var tasks = services.Select(service => RestartOneAsync(stack, service, live.GetValueOrDefault(service.Name), tracker, timeout, cancellationToken));
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task<ServiceResult> RestartOneAsync(StackDefinition stack, ServiceDefinition service, LiveContainer? container,
        EventTracker tracker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        if (container is null)
        {
            return Failed(stack, service, watch, string.Empty, ErrorIds.ContainerNotFound,
                $"Service '{service.Name}' has no container to restart; start it with Start-DatamancyService -Name {service.Name}.");
        }

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
                return Failed(stack, service, watch, container.Id, ErrorIds.ServiceUnhealthy,
                    $"Service '{service.Name}' did not become {(wantsHealth ? "healthy" : "running")}{(ready is null ? $" within {timeout.TotalSeconds:0} s" : string.Empty)} after the restart{exited}. See Get-DatamancyLog -Name {service.Name}.");
            }

            var state = tracker.Get(container.Id);
            return new ServiceResult(service.Name, ServiceAction.Restart, true, state?.Running == true ? ContainerState.Running : ContainerState.Exited, state?.Health ?? HealthStatus.None,
                container.Id[..12], watch.Elapsed, string.Empty, stack.Directory);
        }
        catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception))
        {
            return Failed(stack, service, watch, container.Id, ErrorIds.ServiceFailed, $"Service '{service.Name}' could not be restarted: {exception.Message}");
        }
    }

    private static ServiceResult Failed(StackDefinition stack, ServiceDefinition service, Stopwatch watch, string id, string errorId, string message) =>
        new(service.Name, ServiceAction.Restart, false, ContainerState.Unknown, HealthStatus.Unknown, id.Length >= 12 ? id[..12] : id, watch.Elapsed, message, stack.Directory, errorId);
}
