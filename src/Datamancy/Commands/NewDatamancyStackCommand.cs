using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;

namespace Datamancy.Commands;

/// <summary>Creates a stack folder from the module's bundled configs, with a fresh .env (mode 600).</summary>
[Cmdlet(VerbsCommon.New, "DatamancyStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StackInfo))]
public sealed class NewDatamancyStackCommand : DatamancyCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("StackPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProjectName { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Process()
    {
        var bundled = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(NewDatamancyStackCommand).Assembly.Location)!, "configs");
        var creator = new StackCreator(bundled);
        var target = GetUnresolvedProviderPathFromPSPath(Path);
        var plan = creator.Plan(target, ProjectName, Force);
        var action = plan.Overwrites
            ? $"Overwrite {plan.Files.Count} bundled files and refresh .env (existing values kept)"
            : $"Create a stack: {plan.Files.Count} files and a .env with fresh secrets";
        if (!ShouldProcess(plan.Target, action))
        {
            return;
        }

        creator.Create(plan);
        WriteVerbose($"Wrote {plan.Files.Count} files and .env (mode 600) to {plan.Target}.");
        WriteObject(StackViews.ToStackInfo(new StackLoader().Load(plan.Target)));
    }
}
