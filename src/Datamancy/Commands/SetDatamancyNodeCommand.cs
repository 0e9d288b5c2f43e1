using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>Pins stateful services to one swarm node: it gets the label datamancy.&lt;service&gt;=true and the other nodes lose it.</summary>
[Cmdlet(VerbsCommon.Set, "DatamancyNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NodeInfo))]
public sealed class SetDatamancyNodeCommand : EngineCmdlet
{
    /// <summary>The node (its host name or id) that is to run the services.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The services to pin to that node.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Service { get; set; } = [];

    protected override string Activity => "Labelling swarm nodes";

    protected override bool SupportsSwarm => true;

    protected override void Process()
    {
        var stack = LoadStack();
        foreach (var service in Service)
        {
            if (stack.FindService(service) is null)
            {
                throw StackErrors.ServiceNotFound(stack, service);
            }
        }

        var labels = string.Join(", ", Service.Select(s => SwarmLabels.NodeLabel(s) + "=true"));
        if (!ShouldProcess(Name, $"Set {labels} (and remove them from every other node)"))
        {
            return;
        }

        WriteObject(Run((engine, _) => SwarmInventory.PinAsync(engine, stack, Name, Service, Cancellation)), enumerateCollection: true);
    }
}
