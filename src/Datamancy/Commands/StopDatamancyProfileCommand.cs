using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>Stops the services of one or more profiles in reverse dependency order; optionally removes containers, networks and volumes.</summary>
[Cmdlet(VerbsLifecycle.Stop, "DatamancyProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ServiceResult))]
public sealed class StopDatamancyProfileCommand : StopCmdlet
{
    private readonly List<string> _profiles = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Also remove the containers, and the project's networks nothing uses any more.</summary>
    [Parameter]
    public SwitchParameter Remove { get; set; }

    /// <summary>Also remove the named volumes of these services that nothing else uses: their data is lost.</summary>
    [Parameter]
    public SwitchParameter RemoveVolumes { get; set; }

    /// <summary>Compose (containers on one engine) or Swarm (services on the swarm the engine manages); default: the stack's x-datamancy orchestrator, else Compose.</summary>
    [Parameter]
    public Orchestrator? Orchestrator { get; set; }

    protected override string Activity => "Stopping Datamancy profiles";

    protected override bool SupportsSwarm => true;

    protected override void Process() => _profiles.AddRange(Name);

    protected override void End()
    {
        var stack = LoadStack();
        if (SwarmSettings.Resolve(stack, Orchestrator) == Datamancy.Orchestrator.Swarm)
        {
            StopOnSwarm(stack, ProfileResolver.Members(stack, _profiles), Remove, RemoveVolumes);
            return;
        }

        StopServices(stack, ProfileResolver.Members(stack, _profiles), Remove || RemoveVolumes, RemoveVolumes);
    }
}
