using System.Management.Automation;
using Datamancy.Checks;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Images;
using Datamancy.Updates;

namespace Datamancy.Commands;

/// <summary>
/// Updates services to the image their tag names in the registry now, in dependency order, proves
/// each with its checks (and a database with its dependents' checks), and puts back the previous
/// image, pinned, when the new one fails; one result per service, every attempt in the history.
/// </summary>
[Cmdlet(VerbsData.Update, "DatamancyService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(UpdateResult))]
public sealed class UpdateDatamancyServiceCommand : BackupCmdlet
{
    private readonly List<string> _names = [];

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

    /// <summary>Update excluded services (the databases' label) too.</summary>
    [Parameter]
    public SwitchParameter IncludeExcluded { get; set; }

    /// <summary>Back up the services' own volumes and databases first (Invoke-DatamancyBackup's engine and repository); a failed backup updates nothing.</summary>
    [Parameter]
    public SwitchParameter Backup { get; set; }

    /// <summary>How long each service may take to become healthy on its new image (and on its old one after a rollback), in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 300;

    /// <summary>Where Caddy listens for HTTPS, as host:port, for the services' checks.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string CaddyAddress { get; set; } = CaddyEndpoint.Default;

    protected override string Activity => "Updating Datamancy services";

    protected override void Process() => _names.AddRange(Name ?? []);

    protected override void End()
    {
        var stack = LoadStack();
        var caddy = CaddyEndpoint.Parse(CaddyAddress);
        var services = ServiceSelection.NamedInProfiles(stack, _names, Profile);
        var exactly = _names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToHashSet(StringComparer.Ordinal);
        var credentials = new RegistryCredentials(Environment.GetEnvironmentVariable);
        var candidates = Run((engine, _) => UpdateChecker.CheckAsync(engine, credentials, stack, services, IncludeExcluded, Cancellation));
        var (updates, unchanged) = UpdateSelection.Decide(stack, candidates, IncludeExcluded, exactly, Reporter);
        Bridge.Flush();
        WriteResults(unchanged);
        var approved = updates.Where(u => ShouldProcess(u.Service.Name,
            $"Update {u.Service.Image} from {Short(u.RunningDigest)} to {Short(u.RegistryDigest)}: pull, recreate, check, and roll back if it fails")).ToList();
        if (approved.Count == 0)
        {
            return;
        }

        var options = new UpdateOptions(TimeSpan.FromSeconds(Timeout), ServiceTestOptions.Default with { Caddy = caddy }, null);
        Run((engine, reporter) => new ServiceUpdater(engine, credentials, reporter).UpdateAsync(stack, approved,
            Backup ? options with { Backup = Session(stack, engine, reporter) } : options, Emit, Cancellation));
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest.Length == 0 ? "(none)" : digest;
}
