using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;

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

    protected override string Activity => "Stopping Datamancy profiles";

    protected override void Process() => _profiles.AddRange(Name);

    protected override void End()
    {
        var stack = LoadStack();
        StopServices(stack, ProfileResolver.Members(stack, _profiles), Remove || RemoveVolumes, RemoveVolumes);
    }
}
