using System.Management.Automation;
using Datamancy.Backup;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Lists the stack's backups per target with a compliance status: OK, NeverBackedUp, Outdated or Incomplete.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyBackup")]
[OutputType(typeof(BackupInfo))]
public sealed class GetDatamancyBackupCommand : BackupCmdlet
{
    private readonly List<string> _targets = [];

    /// <summary>volumes, databases, configs, volume keys or service names (wildcards allowed); default: every target.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(BackupTargetCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Target { get; set; } = [];

    /// <summary>Every snapshot of each target, oldest first, instead of the latest only.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    protected override string Activity => "Reading the Datamancy backups";

    protected override void Process() => _targets.AddRange(Target);

    protected override void End()
    {
        var stack = LoadStack();
        var targets = BackupTargetResolver.Select(stack, _targets);
        var policy = BackupPolicy.Load(stack.Directory);
        var snapshots = Run((engine, reporter) => new BackupCatalog(Session(stack, engine, reporter)).ListAsync(Cancellation));
        var engineName = BackupSettingsReader.Read(stack).Engine;
        foreach (var info in BackupCatalog.Report(stack, targets, snapshots, engineName, policy, All, DateTimeOffset.UtcNow, includeOrphans: _targets.Count == 0))
        {
            WriteObject(info);
        }
    }
}
