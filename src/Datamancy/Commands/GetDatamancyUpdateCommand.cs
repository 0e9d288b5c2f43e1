using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Images;
using Datamancy.Updates;

namespace Datamancy.Commands;

/// <summary>
/// Per service: the image it runs, the digest the registry serves now for its tag, and whether that is
/// an update; services excluded from updates (the databases' label) are shown as such unless
/// -IncludeExcluded. -History lists past update attempts instead.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DatamancyUpdate", DefaultParameterSetName = Check)]
[OutputType(typeof(UpdateInfo), ParameterSetName = [Check])]
[OutputType(typeof(UpdateResult), ParameterSetName = [HistorySet])]
public sealed class GetDatamancyUpdateCommand : EngineCmdlet
{
    private const string Check = "Check";
    private const string HistorySet = "History";
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

    /// <summary>Ask the registry about excluded services (the databases) too.</summary>
    [Parameter(ParameterSetName = Check)]
    public SwitchParameter IncludeExcluded { get; set; }

    /// <summary>List the recorded update attempts (data/updates/history.jsonl), oldest first, instead of asking the registry.</summary>
    [Parameter(ParameterSetName = HistorySet, Mandatory = true)]
    public SwitchParameter History { get; set; }

    protected override string Activity => "Asking the registries for updates";

    protected override void Process() => _names.AddRange(Name ?? []);

    protected override void End()
    {
        var stack = LoadStack();
        var services = ServiceSelection.NamedInProfiles(stack, _names, Profile);
        if (History)
        {
            var selected = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            WriteObject(UpdateHistory.Read(stack.Directory).Where(r => selected.Contains(r.Service)), enumerateCollection: true);
            return;
        }

        var candidates = Run((engine, _) => UpdateChecker.CheckAsync(engine, new RegistryCredentials(Environment.GetEnvironmentVariable), stack, services, IncludeExcluded, Cancellation));
        foreach (var candidate in candidates)
        {
            WriteObject(candidate.ToInfo(stack));
            if (candidate.Error is { } error)
            {
                WriteCoreError(new Errors.DatamancyException(Errors.ErrorIds.RegistryUnavailable, Errors.ErrorKind.ConnectionError,
                    $"{candidate.Service.Name} ({candidate.Service.Image}): {error}", candidate.Service.Name));
            }
        }
    }
}
