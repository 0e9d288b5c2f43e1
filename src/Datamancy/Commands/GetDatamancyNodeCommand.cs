using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>Lists the swarm's nodes: role, availability, labels and the stack's services placed on each.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyNode")]
[OutputType(typeof(NodeInfo))]
public sealed class GetDatamancyNodeCommand : EngineCmdlet
{
    /// <summary>Node names (host names) to list; wildcards allowed; default: every node.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override string Activity => "Reading the swarm's nodes";

    protected override bool SupportsSwarm => true;

    protected override void Process()
    {
        var stack = LoadStack();
        var names = new NameFilter(Name);
        var nodes = Run((engine, _) => SwarmInventory.NodesAsync(engine, stack, Cancellation));
        WriteObject(nodes.Where(n => names.Matches(n.Name)), enumerateCollection: true);
        foreach (var missing in names.Unmatched(nodes.Select(n => n.Name)))
        {
            WriteCoreError(new Errors.DatamancyException(Errors.ErrorIds.SwarmNodeNotFound, Errors.ErrorKind.ObjectNotFound,
                $"The swarm has no node '{missing}'. Its nodes are: {string.Join(", ", nodes.Select(n => n.Name))}.", missing));
        }
    }
}
