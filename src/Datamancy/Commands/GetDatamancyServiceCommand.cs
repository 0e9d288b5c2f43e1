using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;

namespace Datamancy.Commands;

/// <summary>Lists the stack's services as the compose file and the Caddyfile define them.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyService")]
[OutputType(typeof(ServiceInfo))]
public sealed class GetDatamancyServiceCommand : StackCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Profile { get; set; }

    protected override void Process()
    {
        var stack = LoadStack();
        var names = new NameFilter(Name);
        var profiles = new NameFilter(Profile);
        foreach (var missing in profiles.Unmatched(stack.Profiles))
        {
            WriteCoreError(StackErrors.ProfileNotFound(stack, missing));
        }

        var selected = stack.Services
            .Where(s => names.Matches(s.Name) && (profiles.IsEmpty || s.Profiles.Any(profiles.Matches)))
            .Select(s => StackViews.ToServiceInfo(stack, s));
        WriteObject(selected, enumerateCollection: true);
        foreach (var missing in names.Unmatched(stack.Services.Select(s => s.Name)))
        {
            WriteCoreError(StackErrors.ServiceNotFound(stack, missing));
        }
    }
}
