using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Engine;

/// <summary>Compares the selection with the engine and decides, per service, Create, Recreate, Start or Unchanged.</summary>
public static class Planner
{
    /// <param name="images">Per service, the image it is to run (Images.ImageChooser decides: pins, pull policy).</param>
    /// <param name="forced">The services to recreate even when nothing changed (-Force).</param>
    public static async Task<ConvergencePlan> PlanAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        IReadOnlyDictionary<string, ResolvedImage> images, IReadOnlySet<string> forced, CancellationToken cancellationToken)
    {
        var live = await ContainerObserver.ReadAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var plans = DependencyGraph.InDependencyOrder(services)
            .Select(service => Plan(stack.ProjectName, service, images[service.Name], live, forced.Contains(service.Name)))
            .ToList();
        return new ConvergencePlan(stack, plans);
    }

    /// <summary>The plan of a service once its image has been pulled: the same decision, now on the image the pull gave.</summary>
    public static ServicePlan Replan(string project, ServicePlan plan, string pulledImageId, bool force) =>
        WithRepairs(Decide(plan.Service, new ResolvedImage(pulledImageId, false), plan.Existing, force), plan.Leftovers,
            ContainerSpecBuilder.ContainerName(project, plan.Service.Name));

    /// <summary>The decision for one service, with what a cut-off run left behind put right first.</summary>
    internal static ServicePlan Plan(string project, ServiceDefinition service, ResolvedImage image, ProjectContainers live, bool force) =>
        WithRepairs(Decide(service, image, live.Current.GetValueOrDefault(service.Name), force), live.LeftoversOf(service.Name),
            ContainerSpecBuilder.ContainerName(project, service.Name));

    // A recreate replaces a container left under its temporary name anyway; any other action needs it under its own name.
    private static ServicePlan WithRepairs(ServicePlan plan, IReadOnlyList<LiveContainer> leftovers, string name) => plan with
    {
        Leftovers = leftovers,
        RenameTo = plan.Existing is { } existing && ContainerObserver.IsTemporaryName(existing.Name, name)
            && plan.Action != ServiceAction.Recreate ? name : null,
    };

    internal static ServicePlan Decide(ServiceDefinition service, ResolvedImage image, LiveContainer? existing, bool force)
    {
        if (image.Id.Length == 0)
        {
            // Not on the engine yet: whatever exists was made from another image.
            return existing is null
                ? new ServicePlan(service, ServiceAction.Create, "no container; the image is not on the engine", null, string.Empty, true)
                : new ServicePlan(service, ServiceAction.Recreate, "the image is not on the engine", existing, string.Empty, true);
        }

        var plan = Decide(service, image.Id, existing, force) with { ImageReference = image.Reference ?? service.Image! };
        return image.PullFirst ? plan with { PullFirst = true, Reason = plan.Reason + "; the pull may change the image" } : plan;
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
