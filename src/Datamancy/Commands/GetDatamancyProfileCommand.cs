using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;

namespace Datamancy.Commands;

/// <summary>Lists the stack's compose profiles and their services.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyProfile")]
[OutputType(typeof(ProfileInfo))]
public sealed class GetDatamancyProfileCommand : EngineCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override string Activity => "Reading the engine";

    protected override void Process()
    {
        var stack = LoadStack();
        var live = TryReadLiveState(stack);
        var filter = new NameFilter(Name);
        WriteObject(StackViews.ToProfileInfos(stack, live).Where(p => filter.Matches(p.Name)), enumerateCollection: true);
        foreach (var missing in filter.Unmatched(stack.Profiles))
        {
            WriteCoreError(StackErrors.ProfileNotFound(stack, missing));
        }
    }
}
