using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;

namespace Datamancy.Commands;

/// <summary>Starts services (and what they depend on), creating or recreating their containers as needed.</summary>
[Cmdlet(VerbsLifecycle.Start, "DatamancyService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ServiceResult))]
public sealed class StartDatamancyServiceCommand : ConvergeCmdlet
{
    private readonly List<string> _services = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    protected override string Activity => "Starting Datamancy services";

    protected override void Process() => _services.AddRange(Name);

    protected override void End()
    {
        var stack = LoadStack();
        Converge(stack, ServiceSelection.WithDependencies(stack, _services), ServiceSelection.Named(stack, _services).Select(s => s.Name));
    }
}
