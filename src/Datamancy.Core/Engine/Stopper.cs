using System.Diagnostics;
using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Datamancy.Reporting;

namespace Datamancy.Engine;

/// <summary>
/// Stops services in reverse dependency order, in parallel where the graph allows; optionally
/// removes their containers, then the project's networks and volumes that nothing uses any more.
/// </summary>
public sealed class Stopper(IDockerEngine engine, IReporter reporter)
{
    /// <summary>How long a network the engine refuses to remove is retried (tests shorten it).</summary>
    internal TimeSpan NetworkRetryWindow { get; init; } = TimeSpan.FromSeconds(5);

    internal TimeSpan NetworkRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Reads the live state and decides, for each selected service, what a stop would do; nothing is changed.</summary>
    public static async Task<StopPlan> PlanAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> selection,
        bool remove, bool removeVolumes, bool force, CancellationToken cancellationToken)
    {
        var containers = await ContainerObserver.ReadAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var live = containers.Current;
        var names = selection.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var kept = force ? new HashSet<string>(StringComparer.Ordinal) : StillNeeded(stack, names, live);
        var steps = selection.Select(service => Step(service, live.GetValueOrDefault(service.Name), kept.Contains(service.Name), remove) with
        {
            Leftovers = containers.LeftoversOf(service.Name).Where(c => remove || c.IsRunning).ToList(),
        }).Select(s => s is { Action: ServiceAction.Unchanged, Container: not null, Leftovers.Count: > 0 } ? s with { Action = ServiceAction.Stop, Note = string.Empty } : s).ToList();
        return new StopPlan(stack, steps, remove || removeVolumes, removeVolumes);
    }

    private static StopStep Step(ServiceDefinition service, LiveContainer? container, bool kept, bool remove) => (container, kept) switch
    {
        (_, true) => new(service, container, ServiceAction.Kept, $"Service '{service.Name}' is kept: a running service outside this selection depends on it. Use -Force to stop it anyway."),
        (null, _) => new(service, null, ServiceAction.Unchanged, $"Service '{service.Name}' has no container: nothing to stop."),
        _ when remove => new(service, container, ServiceAction.Remove, string.Empty),
        ({ IsRunning: false }, _) => new(service, container, ServiceAction.Unchanged, $"Service '{service.Name}' is not running: nothing to stop."),
        _ => new(service, container, ServiceAction.Stop, string.Empty),
    };

    /// <summary>
    /// Carries out the approved changes of <paramref name="plan"/> in reverse dependency order (the rest
    /// of the plan is reported as it stands); <paramref name="grace"/>, when given, overrides each
    /// service's stop_grace_period.
    /// </summary>
    public async Task<IReadOnlyList<ServiceResult>> StopAsync(StopPlan plan, IReadOnlyCollection<StopStep> approved, TimeSpan? grace, CancellationToken cancellationToken)
    {
        var stack = plan.Stack;
        var stopping = plan.Steps.Where(s => s.IsChange && approved.Contains(s)).ToList();
        var tasks = new Dictionary<string, Task<ServiceResult>>(StringComparer.Ordinal);
        foreach (var step in DependencyGraph.InDependencyOrder(stopping.Select(s => s.Service).ToList()).Reverse().Select(s => stopping.First(p => p.Service == s)))
        {
            // A service stops once every service of the selection that depends on it has stopped.
            var dependents = stopping.Where(s => s.Service.DependsOn.Any(d => d.Service == step.Service.Name)).Select(s => tasks[s.Service.Name]).ToList();
            tasks[step.Service.Name] = StopOneAsync(stack, step, dependents, plan.RemoveVolumes, grace ?? Reconciler.StopGrace(step.Service), cancellationToken);
        }

        var done = (await Task.WhenAll(tasks.Values).ConfigureAwait(false)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var results = plan.Steps
            .Select(s => done.GetValueOrDefault(s.Service.Name) ?? (s.IsChange ? null : Result(stack, s.Service.Name, s.Action, true, s.Container, TimeSpan.Zero, string.Empty)))
            .OfType<ServiceResult>().ToList();
        if (plan.Remove)
        {
            await RemoveUnusedNetworksAsync(stack, cancellationToken).ConfigureAwait(false);
        }

        if (plan.RemoveVolumes)
        {
            await RemoveUnusedVolumesAsync(stack, stopping.Select(s => s.Service).ToList(), cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    // Services of the selection that a running container outside it depends on, directly or through others.
    private static HashSet<string> StillNeeded(StackDefinition stack, IReadOnlySet<string> selection, IReadOnlyDictionary<string, LiveContainer> live)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(live.Values.Where(c => c.IsRunning && !selection.Contains(c.Service)).Select(c => c.Service));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (!seen.Add(name) || stack.FindService(name) is not { } service)
            {
                continue;
            }

            foreach (var dependency in service.DependsOn)
            {
                if (selection.Contains(dependency.Service))
                {
                    needed.Add(dependency.Service);
                }

                queue.Enqueue(dependency.Service);
            }
        }

        return needed;
    }

    private async Task<ServiceResult> StopOneAsync(StackDefinition stack, StopStep step, IReadOnlyList<Task<ServiceResult>> dependents,
        bool removeVolumes, TimeSpan grace, CancellationToken cancellationToken)
    {
        var before = await Task.WhenAll(dependents).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var (service, container, remove) = (step.Service, step.Container!, step.Action == ServiceAction.Remove);

        // A dependent whose stop failed still runs: like a running service outside the selection, it keeps what it needs.
        if (container.IsRunning && before.FirstOrDefault(r => !r.Succeeded) is { } failed)
        {
            return Result(stack, service.Name, step.Action, false, container, watch.Elapsed,
                $"Service '{service.Name}' was not stopped: {failed.Name}, which depends on it, could not be stopped.", ErrorIds.DependencyFailed);
        }

        try
        {
            if (container.IsRunning)
            {
                reporter.Progress(service.Name, "stopping");
                await engine.StopSettledAsync(container.Id, grace, cancellationToken).ConfigureAwait(false);
            }

            foreach (var leftover in step.Leftovers)
            {
                await StopLeftoverAsync(leftover, remove, grace, cancellationToken).ConfigureAwait(false);
            }

            if (remove)
            {
                reporter.Progress(service.Name, "removing");
                await engine.RemoveContainerAsync(container.Id, removeVolumes, cancellationToken).ConfigureAwait(false);
            }

            reporter.Progress(service.Name, "done");
            return Result(stack, service.Name, remove ? ServiceAction.Remove : ServiceAction.Stop, true, container with { State = remove ? ContainerState.Removed : ContainerState.Exited }, watch.Elapsed, string.Empty);
        }
        catch (DatamancyException exception) when (exception.ErrorId == ErrorIds.EngineObjectNotFound)
        {
            return Result(stack, service.Name, remove ? ServiceAction.Remove : ServiceAction.Stop, true, container with { State = ContainerState.Removed }, watch.Elapsed, string.Empty);
        }
        catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception))
        {
            return Result(stack, service.Name, remove ? ServiceAction.Remove : ServiceAction.Stop, false, container, watch.Elapsed,
                $"Service '{service.Name}' could not be stopped: {exception.Message}");
        }
    }

    // A container an interrupted recreate left: stopped with its service, removed with it (the network and volumes can go only then).
    private async Task StopLeftoverAsync(LiveContainer leftover, bool remove, TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            if (remove)
            {
                await engine.RemoveContainerAsync(leftover.Id, false, cancellationToken).ConfigureAwait(false);
                reporter.Verbose($"Removed {leftover.Name}, left by an interrupted recreate.");
            }
            else if (leftover.IsRunning)
            {
                await engine.StopSettledAsync(leftover.Id, grace, cancellationToken).ConfigureAwait(false);
                reporter.Verbose($"Stopped {leftover.Name}, left by an interrupted recreate.");
            }
        }
        catch (DatamancyException exception) when (exception.ErrorId == ErrorIds.EngineObjectNotFound)
        {
            // Gone already: what the stop wanted.
        }
    }

    private async Task RemoveUnusedNetworksAsync(StackDefinition stack, CancellationToken cancellationToken)
    {
        var remaining = await ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var used = remaining.Values.Select(c => stack.FindService(c.Service)).Where(s => s is not null)
            .SelectMany(s => s!.Networks.Select(n => n.Name)).ToHashSet(StringComparer.Ordinal);
        var networks = await engine.ListNetworksAsync(LabelFilter.Project(stack.ProjectName), cancellationToken).ConfigureAwait(false);
        foreach (var network in networks)
        {
            string? key = network.Labels.TryGetValue(ComposeLabels.Network, out var label) ? label : null;
            if (key is null || used.Contains(key))
            {
                continue;
            }

            // Engine 20.10 can refuse right after the containers stop ("has active endpoints", moby#42119).
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if (await engine.RemoveNetworkAsync(network.Id, cancellationToken).ConfigureAwait(false))
                    {
                        reporter.Verbose($"Removed network {network.Name}.");
                    }

                    break;
                }
                catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception))
                {
                    if (deadline.Elapsed > NetworkRetryWindow)
                    {
                        reporter.Warning($"The network {network.Name} was not removed: {exception.Message}. Remove it later with 'docker network rm {network.Name}'.");
                        break;
                    }

                    await Task.Delay(NetworkRetryDelay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task RemoveUnusedVolumesAsync(StackDefinition stack, IReadOnlyList<ServiceDefinition> stopped, CancellationToken cancellationToken)
    {
        var remaining = await ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var stillUsed = remaining.Values.Select(c => stack.FindService(c.Service)).Where(s => s is not null)
            .SelectMany(s => s!.Volumes.Where(v => v.Type == "volume" && v.Source is not null).Select(v => v.Source!)).ToHashSet(StringComparer.Ordinal);
        var candidates = stopped.SelectMany(s => s.Volumes.Where(v => v.Type == "volume" && v.Source is not null).Select(v => v.Source!)).Distinct();
        foreach (var key in candidates.Where(k => !stillUsed.Contains(k)))
        {
            var volume = stack.Volumes.Single(v => v.Key == key);
            if (volume.External)
            {
                continue;
            }

            try
            {
                if (await engine.RemoveVolumeAsync(volume.Name, false, cancellationToken).ConfigureAwait(false))
                {
                    reporter.Verbose($"Removed volume {volume.Name}.");
                }
            }
            catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception))
            {
                reporter.Warning($"The volume {volume.Name} was not removed: {exception.Message}.");
            }
        }
    }

    private static ServiceResult Result(StackDefinition stack, string name, ServiceAction action, bool succeeded, LiveContainer? container, TimeSpan duration, string error,
        string errorId = ErrorIds.ServiceFailed) =>
        new(name, action, succeeded, container?.State ?? ContainerState.Absent, container?.Health ?? HealthStatus.None,
            container is null ? string.Empty : container.Id[..Math.Min(12, container.Id.Length)], duration, error, stack.Directory,
            error.Length > 0 ? errorId : string.Empty);
}
