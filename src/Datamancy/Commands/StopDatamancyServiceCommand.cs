using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Stops services; one that a running service still needs is kept unless -Force.</summary>
[Cmdlet(VerbsLifecycle.Stop, "DatamancyService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ServiceResult))]
public sealed class StopDatamancyServiceCommand : StopCmdlet
{
    private readonly List<string> _services = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Also remove the containers.</summary>
    [Parameter]
    public SwitchParameter Remove { get; set; }

    protected override string Activity => "Stopping Datamancy services";

    protected override void Process() => _services.AddRange(Name);

    protected override void End()
    {
        var stack = LoadStack();
        StopServices(stack, ServiceSelection.Named(stack, _services), Remove, false);
    }
}
