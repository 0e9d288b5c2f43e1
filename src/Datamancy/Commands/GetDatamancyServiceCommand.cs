using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;

namespace Datamancy.Commands;

/// <summary>Lists the stack's services as the compose file and the Caddyfile define them.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyService", DefaultParameterSetName = ByName)]
[OutputType(typeof(ServiceInfo))]
public sealed class GetDatamancyServiceCommand : EngineCmdlet
{
    private const string ByName = "ByName";
    private const string ByProfileObject = "ByProfileObject";
    private const string ByStackObject = "ByStackObject";

    [Parameter(ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ByName)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Profile { get; set; }

    /// <summary>Profiles from Get-DatamancyProfile: their services are listed.</summary>
    [Parameter(ParameterSetName = ByProfileObject, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ProfileInfo[]? InputObject { get; set; }

    /// <summary>A stack from Get-DatamancyStack: all its services are listed.</summary>
    [Parameter(ParameterSetName = ByStackObject, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public StackInfo? Stack { get; set; }

    protected override string Activity => "Reading the engine";

    protected override void Process()
    {
        var stack = LoadStack();
        var live = TryReadLiveState(stack);
        var names = new NameFilter(Name);
        var profiles = new NameFilter(InputObject is null ? Profile : InputObject.Select(p => WildcardPattern.Escape(p.Name)));
        foreach (var missing in profiles.Unmatched(stack.Profiles))
        {
            WriteCoreError(StackErrors.ProfileNotFound(stack, missing));
        }

        var selected = stack.Services
            .Where(s => names.Matches(s.Name) && (profiles.IsEmpty || s.Profiles.Any(profiles.Matches)))
            .Select(s => StackViews.ToServiceInfo(stack, s, live));
        WriteObject(selected, enumerateCollection: true);
        foreach (var missing in names.Unmatched(stack.Services.Select(s => s.Name)))
        {
            WriteCoreError(StackErrors.ServiceNotFound(stack, missing));
        }
    }
}
