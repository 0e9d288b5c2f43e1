using System.Management.Automation;
using Datamancy.Engine;
using Datamancy.Images;
using Datamancy.Stack.Model;
using Datamancy.Swarm;

namespace Datamancy.Commands.Infrastructure;

/// <summary>Plans, asks ShouldProcess per change on the pipeline thread, then converges: shared by the Start cmdlets.</summary>
public abstract class ConvergeCmdlet : EngineCmdlet
{
    /// <summary>Recreate every selected container even when nothing changed.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>When to pull images: Missing (only absent ones, the default), Always, or Never; default: each service's pull_policy, else Missing.</summary>
    [Parameter]
    public PullPolicy? Pull { get; set; }

    /// <summary>How long to wait for each service to become healthy (or a job to finish), in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 300;

    /// <param name="forced">The services -Force recreates (the ones the user named, not their dependencies).</param>
    protected void Converge(StackDefinition stack, IReadOnlyList<ServiceDefinition> services, IEnumerable<string> forced)
    {
        var dryRun = IsDryRun;
        var forcedSet = Force ? forced.ToHashSet(StringComparer.Ordinal) : new HashSet<string>();
        var plan = Run((engine, _) => StartPlanner.PlanAsync(engine, stack, services, Pull, forcedSet, Cancellation));
        var approved = plan.Services
            .Where(p => p.IsNoOp || ShouldProcess(p.Service.Name, p.Describe()))
            .ToList();
        if (dryRun || (approved.All(p => p.IsNoOp) && approved.Count < plan.Services.Count))
        {
            return; // -WhatIf, or every change declined: nothing is touched.
        }

        var pulled = Run((engine, reporter) => StartPlanner.PullAsync(engine, plan with { Services = approved }, forcedSet, reporter, Cancellation));
        var results = Run((engine, reporter) => new Reconciler(engine, reporter).ConvergeAsync(pulled, TimeSpan.FromSeconds(Timeout), Cancellation));
        WriteResults(results);
    }

    /// <summary>The same flow on a swarm: plan (refusals, digests, spec hashes), ShouldProcess per change, then deploy in depends_on order.</summary>
    protected void DeployToSwarm(StackDefinition stack, IReadOnlyList<ServiceDefinition> services)
    {
        foreach (var parameter in new[] { nameof(Force), nameof(Pull) }.Where(MyInvocation.BoundParameters.ContainsKey))
        {
            throw SwarmRefusals.ParameterUnsupported(MyInvocation.MyCommand.Name, parameter,
                "a swarm service is updated when its spec changes, and every node pulls the image pinned to its digest.");
        }

        var dryRun = IsDryRun;
        var plan = Run((engine, reporter) => SwarmPlanner.PlanAsync(engine, stack, services, reporter, Environment.GetEnvironmentVariable, Cancellation));
        foreach (var network in plan.MissingNetworks)
        {
            WriteVerbose($"Overlay network {network.Name}{(network.Internal ? " (internal)" : string.Empty)} will be created.");
        }

        var approved = plan.Services.Where(p => p.IsNoOp || ShouldProcess(p.Service.Name, p.Describe())).ToList();
        if (dryRun || (approved.All(p => p.IsNoOp) && approved.Count < plan.Services.Count))
        {
            return; // -WhatIf, or every change declined: nothing is touched.
        }

        WriteResults(Run((engine, reporter) => new SwarmDeployer(engine, reporter).DeployAsync(plan, approved, TimeSpan.FromSeconds(Timeout), Cancellation)));
    }
}
