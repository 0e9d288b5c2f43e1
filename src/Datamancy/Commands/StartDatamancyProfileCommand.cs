using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>Brings the services of one or more profiles to their defined state: plan, then converge.</summary>
[Cmdlet(VerbsLifecycle.Start, "DatamancyProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ServiceResult))]
public sealed class StartDatamancyProfileCommand : ConvergeCmdlet
{
    private readonly List<string> _profiles = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Also start the services of other profiles that these profiles' services depend on.</summary>
    [Parameter]
    public SwitchParameter IncludeDependencies { get; set; }

    /// <summary>Compose (containers on one engine) or Swarm (services on the swarm the engine manages); default: the stack's x-datamancy orchestrator, else Compose.</summary>
    [Parameter]
    public Orchestrator? Orchestrator { get; set; }

    protected override string Activity => "Starting Datamancy profiles";

    protected override bool SupportsSwarm => true;

    protected override void Process() => _profiles.AddRange(Name);

    protected override void End()
    {
        var stack = LoadStack();
        var services = ServiceSelection.ForProfiles(stack, _profiles, IncludeDependencies, WriteWarning);
        if (SwarmSettings.Resolve(stack, Orchestrator) == Datamancy.Orchestrator.Swarm)
        {
            DeployToSwarm(stack, services);
            return;
        }

        Converge(stack, services, ProfileResolver.Members(stack, _profiles).Select(s => s.Name));
    }
}
