using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Stack.Model;

namespace Datamancy.Swarm;

/// <summary>
/// Update-DatamancySecret on a swarm stack: once .env holds the new value, the services that read
/// the secret are deployed again. Their specs name the new content-hashed secret, so the swarm rolls
/// them (one task at a time, rolled back on failure, waited for until healthy, as in a deploy); the
/// old version is removed when no service uses it any more. Services not on the swarm stay absent.
/// </summary>
public static class SwarmSecretRollout
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>A secret that a database or directory keeps its own copy of is changed there through its container, which a swarm task on another node is not; refused.</summary>
    /// <param name="keptBy">Where a server keeps the secret (SecretPlan.Targets), such as database:postgres; empty when nowhere.</param>
    public static DatamancyException? Refusal(string name, IReadOnlyCollection<string> keptBy) => keptBy.Count == 0 ? null :
        new DatamancyException(ErrorIds.SwarmSecretInStore, ErrorKind.NotImplemented,
            $"{name} is also kept by {string.Join(", ", keptBy)}, which Update-DatamancySecret changes through the server's container; " +
            "on a swarm that container is a task on any node, so swarm mode rotates only secrets that no server keeps. " +
            "Change it in the server yourself, then in .env, and run Start-DatamancyProfile -Orchestrator Swarm; or rotate it while the stack runs with Compose.",
            name);

    public static async Task<IReadOnlyList<ServiceResult>> RolloutAsync(IDockerEngine engine, IReporter reporter, StackDefinition stack, IReadOnlyCollection<string> services,
        CancellationToken cancellationToken)
    {
        var selected = stack.Services.Where(s => services.Contains(s.Name)).ToList();
        if (selected.Count == 0)
        {
            return [];
        }

        var plan = await SwarmPlanner.PlanAsync(engine, stack, selected, reporter, Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        var deployed = plan.Services.Where(s => s.Action != ServiceAction.Create).ToList();
        foreach (var step in deployed.Where(s => s.Existing!.Spec!.Mode?.Replicated?.Replicas == 0 && s.Spec.Mode?.Replicated is not null))
        {
            // A stopped service gets the new secret but stays stopped.
            step.Spec.Mode!.Replicated!.Replicas = 0;
        }

        return await new SwarmDeployer(engine, reporter).DeployAsync(plan with { Services = deployed, MissingNetworks = [] }, deployed, Timeout, cancellationToken)
            .ConfigureAwait(false);
    }
}
