using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>Lists the stack's services as the compose file and the Caddyfile define them.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyService", DefaultParameterSetName = ByName)]
[OutputType(typeof(ServiceInfo), typeof(SwarmServiceState))]
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

    /// <summary>Swarm: the services as the swarm runs them (tasks running of desired, nodes, update state); default: the stack's x-datamancy orchestrator, else Compose.</summary>
    [Parameter]
    public Orchestrator? Orchestrator { get; set; }

    protected override string Activity => "Reading the engine";

    protected override bool SupportsSwarm => true;

    protected override void Process()
    {
        var stack = LoadStack();
        var swarm = SwarmSettings.Resolve(stack, Orchestrator) == Datamancy.Orchestrator.Swarm;
        var live = swarm ? null : TryReadLiveState(stack);
        var names = new NameFilter(Name);
        var profiles = new NameFilter(InputObject is null ? Profile : InputObject.Select(p => WildcardPattern.Escape(p.Name)));
        foreach (var missing in profiles.Unmatched(stack.Profiles))
        {
            WriteCoreError(StackErrors.ProfileNotFound(stack, missing));
        }

        var selected = stack.Services.Where(s => names.Matches(s.Name) && (profiles.IsEmpty || s.Profiles.Any(profiles.Matches))).ToList();
        if (swarm)
        {
            WriteObject(Run((engine, _) => SwarmInventory.ServicesAsync(engine, stack, selected, Cancellation)), enumerateCollection: true);
        }
        else
        {
            WriteObject(selected.Select(s => StackViews.ToServiceInfo(stack, s, live)), enumerateCollection: true);
        }

        foreach (var missing in names.Unmatched(stack.Services.Select(s => s.Name)))
        {
            WriteCoreError(StackErrors.ServiceNotFound(stack, missing));
        }
    }
}
