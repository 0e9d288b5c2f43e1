using Datamancy.Stack;
using Datamancy.Stack.Model;
using Datamancy.Reporting;

namespace Datamancy.Engine;

/// <summary>Compares the selection with the engine and decides, per service, Create, Recreate, Start or Unchanged.</summary>
public static class Planner
{
    /// <param name="forced">The services to recreate even when nothing changed (-Force).</param>
    /// <param name="pull">Pull missing images; false for a dry run, which changes nothing on the engine.</param>
    public static async Task<ConvergencePlan> PlanAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        IReadOnlySet<string> forced, bool pull, IReporter reporter, CancellationToken cancellationToken)
    {
        var images = await ImageResolver.ResolveAsync(engine, services.Select(s => s.Image!), pull, reporter, cancellationToken).ConfigureAwait(false);
        var live = await ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var plans = DependencyGraph.InDependencyOrder(services)
            .Select(service => Decide(service, images[service.Image!], live.GetValueOrDefault(service.Name), forced.Contains(service.Name)))
            .ToList();
        return new ConvergencePlan(stack, plans);
    }

    internal static ServicePlan Decide(ServiceDefinition service, string imageId, LiveContainer? existing, bool force)
    {
        if (existing is null)
        {
            return new ServicePlan(service, ServiceAction.Create, "no container", null, imageId);
        }

        var expected = ServiceHasher.ContainerFingerprint(service, imageId);
        if (force)
        {
            return new ServicePlan(service, ServiceAction.Recreate, "-Force", existing, imageId);
        }

        if (existing.Fingerprint != expected)
        {
            var reason = existing.ImageId != imageId ? "the image changed" : existing.Fingerprint is null ? "not made by Datamancy" : "the definition changed";
            return new ServicePlan(service, ServiceAction.Recreate, reason, existing, imageId);
        }

        if (existing.IsRunning || (service.IsJob && existing.Status.StartsWith("Exited (0)", StringComparison.Ordinal)))
        {
            return new ServicePlan(service, ServiceAction.Unchanged, existing.IsRunning ? "running" : "completed", existing, imageId);
        }

        return new ServicePlan(service, ServiceAction.Start, $"container is {existing.State.ToString().ToLowerInvariant()}", existing, imageId);
    }
}
