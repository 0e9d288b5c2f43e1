using Datamancy.Engine;
using Datamancy.Reporting;
using Datamancy.Stack.Model;

namespace Datamancy.Images;

/// <summary>
/// A start in the order a user can follow: plan without touching the engine (images chosen, pulls
/// marked), let the user approve, then pull what the approved changes need, in parallel, and decide
/// again on the pulled images (an Always pull that brought the same image leaves its service Unchanged).
/// </summary>
public static class StartPlanner
{
    public static async Task<ConvergencePlan> PlanAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        PullPolicy? pull, IReadOnlySet<string> forced, CancellationToken cancellationToken)
    {
        var images = await ImageChooser.ChooseAsync(engine, stack, services, pull, cancellationToken).ConfigureAwait(false);
        return await Planner.PlanAsync(engine, stack, services, images, forced, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pulls the images the approved plans need and returns the plans decided on what was pulled.</summary>
    public static async Task<ConvergencePlan> PullAsync(IDockerEngine engine, ConvergencePlan plan, IReadOnlySet<string> forced, IReporter reporter,
        CancellationToken cancellationToken)
    {
        var toPull = plan.Services.Where(p => p.PullFirst).Select(p => p.Service.Image!).Distinct(StringComparer.Ordinal).ToList();
        if (toPull.Count == 0)
        {
            return plan;
        }

        await new ImagePuller(engine, new RegistryCredentials(Environment.GetEnvironmentVariable), reporter).PullAsync(toPull, cancellationToken).ConfigureAwait(false);
        var pulled = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in toPull)
        {
            pulled[image] = (await engine.InspectImageAsync(image, cancellationToken).ConfigureAwait(false))?.Id
                ?? throw new Errors.DatamancyException(Errors.ErrorIds.ImageMissing, Errors.ErrorKind.ObjectNotFound,
                    $"The engine reported {image} pulled, but does not have it; pull it by hand (docker pull {image}) to see why.", image);
        }

        return plan with
        {
            Services = plan.Services.Select(p => p.PullFirst ? Planner.Replan(plan.Stack.ProjectName, p, pulled[p.Service.Image!], forced.Contains(p.Service.Name)) : p).ToList(),
        };
    }
}
