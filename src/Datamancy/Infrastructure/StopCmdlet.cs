using System.Management.Automation;
using Datamancy.Engine;
using Datamancy.Stack.Model;
using Datamancy.Swarm;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// The plan-confirm-stop flow shared by Stop-DatamancyProfile and Stop-DatamancyService: the live
/// state is read first, so -WhatIf says what the real run would (a service with nothing to stop is
/// reported as such, not offered as a change), then ShouldProcess per change, then the stop.
/// </summary>
public abstract class StopCmdlet : EngineCmdlet
{
    private static readonly string[] InformationTags = ["Datamancy", "NothingToStop"];

    /// <summary>Stop services that a running service outside the selection still needs.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Seconds each container gets to stop before it is killed, for this call; default: each service's stop_grace_period, else 10.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int? Timeout { get; set; }

    protected void StopServices(StackDefinition stack, IReadOnlyList<ServiceDefinition> services, bool remove, bool removeVolumes)
    {
        var plan = Run((engine, _) => Stopper.PlanAsync(engine, stack, services, remove, removeVolumes, Force, Cancellation));
        foreach (var step in plan.Steps.Where(s => !s.IsChange))
        {
            if (step.Action == ServiceAction.Kept)
            {
                WriteWarning(step.Note);
            }
            else
            {
                WriteInformation(step.Note, InformationTags);
            }
        }

        var approved = plan.Changes.Where(s => ShouldProcess(s.Service.Name, s.Describe(removeVolumes))).ToList();
        if (IsDryRun || (approved.Count == 0 && plan.Changes.Count > 0))
        {
            return; // -WhatIf, or every change declined: nothing is touched.
        }

        // Removing volumes loses data: confirm it even when the preference would not ask (ConfirmImpact High).
        if (removeVolumes && !MyInvocation.BoundParameters.ContainsKey("Confirm")
            && !ShouldContinue($"Remove the named volumes of {approved.Count} service(s)? Their data is lost.", "Remove volumes"))
        {
            return;
        }

        var grace = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        WriteResults(Run((engine, reporter) => new Stopper(engine, reporter).StopAsync(plan, approved, grace, Cancellation)));
    }

    /// <summary>The swarm's stop: scale the services to 0, or remove them and the stack's overlay networks nothing of it uses.</summary>
    protected void StopOnSwarm(StackDefinition stack, IReadOnlyList<ServiceDefinition> services, bool remove, bool removeVolumes)
    {
        if (removeVolumes)
        {
            throw SwarmRefusals.ParameterUnsupported(MyInvocation.MyCommand.Name, "RemoveVolumes",
                "a swarm has no volume API across nodes; each node keeps its own local volumes (remove them with docker volume rm on the node that holds them).");
        }

        var steps = Run((engine, _) => SwarmStopper.PlanAsync(engine, stack, services, remove, Cancellation));
        foreach (var step in steps.Where(s => !s.IsChange))
        {
            WriteInformation($"{step.Service.Name}: nothing to stop on the swarm.", InformationTags);
        }

        var approved = steps.Where(s => s.IsChange && ShouldProcess(s.Service.Name, s.Describe())).ToList();
        if (IsDryRun || (approved.Count == 0 && steps.Any(s => s.IsChange)))
        {
            return; // -WhatIf, or every change declined: nothing is touched.
        }

        WriteResults(Run((engine, reporter) => new SwarmStopper(engine, reporter).StopAsync(stack, approved, remove, Cancellation)));
    }
}
