using System.Management.Automation;
using Datamancy.Engine;
using Datamancy.Stack.Model;

namespace Datamancy.Commands.Infrastructure;

/// <summary>Plans, asks ShouldProcess per change on the pipeline thread, then converges: shared by the Start cmdlets.</summary>
public abstract class ConvergeCmdlet : EngineCmdlet
{
    /// <summary>Recreate every selected container even when nothing changed.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private bool IsDryRun =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) ? ((SwitchParameter)whatIf).IsPresent
            : SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;

    /// <summary>How long to wait for each service to become healthy (or a job to finish), in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 300;

    /// <param name="forced">The services -Force recreates (the ones the user named, not their dependencies).</param>
    protected void Converge(StackDefinition stack, IReadOnlyList<ServiceDefinition> services, IEnumerable<string> forced)
    {
        var dryRun = IsDryRun;
        var forcedSet = Force ? forced.ToHashSet(StringComparer.Ordinal) : new HashSet<string>();
        var plan = Run((engine, reporter) => Planner.PlanAsync(engine, stack, services, forcedSet, !dryRun, reporter, Cancellation));
        var approved = plan.Services
            .Where(p => p.Action == ServiceAction.Unchanged || ShouldProcess(p.Service.Name, $"{p.Action} ({p.Reason})"))
            .ToList();
        if (dryRun || (approved.All(p => p.Action == ServiceAction.Unchanged) && approved.Count < plan.Services.Count))
        {
            return; // -WhatIf, or every change declined: nothing is touched.
        }

        var results = Run((engine, reporter) => new Reconciler(engine, reporter).ConvergeAsync(plan with { Services = approved }, TimeSpan.FromSeconds(Timeout), Cancellation));
        WriteResults(results);
    }
}
