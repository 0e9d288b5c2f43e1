using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;

namespace Datamancy.Commands;

/// <summary>
/// Writes the stack's compose file resolved for some profiles, as docker compose config does:
/// one YAML string to the pipeline, or a file with -Destination. Secrets are masked unless -IncludeSecret.
/// </summary>
[Cmdlet(VerbsData.Export, "DatamancyStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ToPipeline)]
[OutputType(typeof(string), ParameterSetName = [ToPipeline])]
[OutputType(typeof(FileInfo), ParameterSetName = [ToFile])]
public sealed class ExportDatamancyStackCommand : StackCmdlet
{
    private const string ToPipeline = "ToPipeline";
    private const string ToFile = "ToFile";

    private readonly List<string> _profiles = [];

    /// <summary>The profiles to export; '*' for every service.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Profile { get; set; } = [];

    /// <summary>The file to write; without it the YAML goes to the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ToFile)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Replace an existing -Destination file.</summary>
    [Parameter(ParameterSetName = ToFile)]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the secret values instead of masking them.</summary>
    [Parameter]
    public SwitchParameter IncludeSecret { get; set; }

    /// <summary>Also export the services of other profiles that these profiles' services depend on.</summary>
    [Parameter]
    public SwitchParameter IncludeDependencies { get; set; }

    protected override void Process() => _profiles.AddRange(Profile);

    protected override void End()
    {
        var stack = LoadStack();
        var destination = ParameterSetName == ToFile ? GetUnresolvedProviderPathFromPSPath(Destination) : null;
        if (destination is not null)
        {
            ExportDestination.Check(destination, Force);
        }

        var services = ServiceSelection.ForProfiles(stack, _profiles, IncludeDependencies, WriteWarning);
        var mask = IncludeSecret ? SecretMask.None : SecretMask.For(stack, Environment.GetEnvironmentVariable);
        var text = StackExporter.Export(stack, services, _profiles, mask, Environment.GetEnvironmentVariable);
        if (destination is null)
        {
            WriteObject(text);
            return;
        }

        var secrets = IncludeSecret ? "with its secrets, mode 600" : "secrets masked";
        if (ShouldProcess(destination, $"Write the compose file of {services.Count} services for the profiles {string.Join(", ", _profiles)} ({secrets})"))
        {
            WriteObject(ExportDestination.Write(destination, text, IncludeSecret));
        }
    }
}
