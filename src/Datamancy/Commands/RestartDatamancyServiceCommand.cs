using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Engine;

namespace Datamancy.Commands;

/// <summary>Restarts services' containers in place and waits until they are healthy again.</summary>
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

    protected override string Activity => "Restarting Datamancy services";

    protected override void Process() => _services.AddRange(Name);

    protected override void End()
    {
        var stack = LoadStack();
        // The live state first, so that -WhatIf reports a service without a container as the real run does.
        var plan = Run((engine, _) => Restarter.PlanAsync(engine, stack, ServiceSelection.Named(stack, _services), Cancellation));
        var approved = plan.Where(s => s.Failure is null && ShouldProcess(s.Service.Name, "Restart")).ToList();
        foreach (var failure in plan.Select(s => s.Failure).OfType<ServiceResult>())
        {
            if (IsDryRun)
            {
                WriteCoreError(ResultErrors.Of(failure)!);
            }
            else
            {
                WriteResult(failure);
            }
        }

        if (approved.Count > 0 && !IsDryRun)
        {
            WriteResults(Run((engine, reporter) => new Restarter(engine, reporter).RestartAsync(stack, approved, TimeSpan.FromSeconds(Timeout), Cancellation)));
        }
    }
}
