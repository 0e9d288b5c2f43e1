using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Engine;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>
/// Restarts services' containers in place and waits until they are healthy again; on a swarm, forces
/// new tasks (docker service update --force) and waits until the update completed and they run healthy.
/// </summary>
[Cmdlet(VerbsLifecycle.Restart, "DatamancyService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ServiceResult))]
public sealed class RestartDatamancyServiceCommand : EngineCmdlet
{
    private readonly List<string> _services = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>How long to wait for each service to be healthy (or running) again, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 300;

    /// <summary>Swarm: force new tasks of the swarm services; default: the stack's x-datamancy orchestrator, else Compose.</summary>
    [Parameter]
    public Orchestrator? Orchestrator { get; set; }

    protected override string Activity => "Restarting Datamancy services";

    protected override bool SupportsSwarm => true;

    protected override void Process() => _services.AddRange(Name);

    protected override void End()
    {
        var stack = LoadStack();
        var services = ServiceSelection.Named(stack, _services);
        var timeout = TimeSpan.FromSeconds(Timeout);
        // The live state first, so that -WhatIf reports a service with nothing to restart as the real run does.
        if (SwarmSettings.Resolve(stack, Orchestrator) == Datamancy.Orchestrator.Swarm)
        {
            var plan = Run((engine, _) => SwarmRestarter.PlanAsync(engine, stack, services, Cancellation));
            var approved = Approve(plan, s => s.Service.Name, s => s.Failure, "Restart (force new swarm tasks)");
            if (approved.Count > 0 && !IsDryRun)
            {
                WriteResults(Run((engine, reporter) => new SwarmRestarter(engine, reporter).RestartAsync(stack, approved, timeout, Cancellation)));
            }
        }
        else
        {
            var plan = Run((engine, _) => Restarter.PlanAsync(engine, stack, services, Cancellation));
            var approved = Approve(plan, s => s.Service.Name, s => s.Failure, "Restart");
            if (approved.Count > 0 && !IsDryRun)
            {
                WriteResults(Run((engine, reporter) => new Restarter(engine, reporter).RestartAsync(stack, approved, timeout, Cancellation)));
            }
        }
    }

    // The steps the user approved; a step that already failed in the plan is written (as an error only, under -WhatIf).
    private List<T> Approve<T>(IReadOnlyList<T> plan, Func<T, string> name, Func<T, ServiceResult?> failure, string action)
    {
        var approved = plan.Where(s => failure(s) is null && ShouldProcess(name(s), action)).ToList();
        foreach (var failed in plan.Select(failure).OfType<ServiceResult>())
        {
            if (IsDryRun)
            {
                WriteCoreError(ResultErrors.Of(failed)!);
            }
            else
            {
                WriteResult(failed);
            }
        }

        return approved;
    }
}
