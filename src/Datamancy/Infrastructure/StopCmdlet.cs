using System.Management.Automation;
using Datamancy.Engine;
using Datamancy.Stack.Model;

namespace Datamancy.Commands.Infrastructure;

/// <summary>The confirm-then-stop flow shared by Stop-DatamancyProfile and Stop-DatamancyService.</summary>
public abstract class StopCmdlet : EngineCmdlet
{
    /// <summary>Stop services that a running service outside the selection still needs.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected void StopServices(StackDefinition stack, IReadOnlyList<ServiceDefinition> services, bool remove, bool removeVolumes)
    {
        var action = removeVolumes ? "Stop, remove container and volumes" : remove ? "Stop and remove container" : "Stop";
        var approved = services.Where(s => ShouldProcess(s.Name, action)).ToList();
        if (approved.Count == 0)
        {
            return;
        }

        // Removing volumes loses data: confirm it even when the preference would not ask (ConfirmImpact High).
        if (removeVolumes && !MyInvocation.BoundParameters.ContainsKey("Confirm")
            && !ShouldContinue($"Remove the named volumes of {approved.Count} service(s)? Their data is lost.", "Remove volumes"))
        {
            return;
        }

        WriteResults(Run((engine, reporter) => new Stopper(engine, reporter).StopAsync(stack, approved, remove, removeVolumes, Force, Cancellation)));
    }
}
