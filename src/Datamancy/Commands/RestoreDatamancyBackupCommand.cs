using System.Management.Automation;
using Datamancy.Backup;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Restores a target's snapshot: into a folder (-Destination), back into its volume, or a dump into its running database.</summary>
[Cmdlet(VerbsData.Restore, "DatamancyBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RestoreResult))]
public sealed class RestoreDatamancyBackupCommand : BackupCmdlet
{
    private readonly List<(string Target, string? SnapshotId)> _requests = [];

    /// <summary>A volume key, database service name or configs; wildcards and groups allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(BackupTargetCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Target { get; set; } = [];

    /// <summary>The snapshot to restore (a prefix is enough); default: the latest.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? SnapshotId { get; set; }

    /// <summary>A folder to restore into (a dump becomes a file there); default: back into the volume, database or stack folder.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Replace live data: a volume that holds files (emptied first), a running database, a folder that is not empty.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override string Activity => "Restoring Datamancy backups";

    protected override void Process()
    {
        foreach (var target in Target)
        {
            _requests.Add((target, SnapshotId));
        }
    }

    protected override void End()
    {
        var stack = LoadStack();
        var requests = _requests.SelectMany(r => BackupTargetResolver.Select(stack, [r.Target]).Select(t => (Target: t, r.SnapshotId)))
            .DistinctBy(r => r.Target.Name).ToList();
        if (requests.Count > 1 && Destination is not null)
        {
            throw new Errors.DatamancyException(Errors.ErrorIds.InvalidValue, Errors.ErrorKind.InvalidArgument,
                $"-Destination takes one target, but {requests.Count} were named ({string.Join(", ", requests.Select(r => r.Target.Name))}): restore them one at a time.");
        }

        var snapshots = Run((engine, reporter) => new BackupCatalog(Session(stack, engine, reporter)).ListAsync(Cancellation));

        // Plan first: every snapshot must exist before anything is restored.
        var planned = requests.Select(r => (r.Target, Snapshot: BackupCatalog.Pick(snapshots, stack.ProjectName, r.Target.Name, r.SnapshotId))).ToList();
        foreach (var (target, snapshot) in planned)
        {
            var where = Destination ?? (target.Kind == BackupTarget.VolumeKind ? $"volume {target.VolumeName}" : target.Kind == BackupTarget.DatabaseKind ? $"the running {target.Name}" : stack.Directory);
            if (!ShouldProcess($"{target.Name} from snapshot {snapshot.Id} into {where}", "Restore"))
            {
                continue;
            }

            WriteObject(Run((engine, reporter) => new BackupRestorer(Session(stack, engine, reporter)).RestoreAsync(target, snapshot, Destination, Force, Cancellation)));
        }
    }
}
