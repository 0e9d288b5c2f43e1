using System.Management.Automation;
using Datamancy.Backup;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>The restore drill: restores each target's snapshot to a scratch place, checks it, and removes the scratch; one result per target.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DatamancyBackup")]
[OutputType(typeof(BackupDrillResult))]
public sealed class TestDatamancyBackupCommand : BackupCmdlet
{
    private readonly List<(string Target, string? SnapshotId)> _requests = [];

    /// <summary>volumes, databases, configs, volume keys or service names; from the pipeline, the Target of Invoke- or Get-DatamancyBackup.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(BackupTargetCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Target { get; set; } = [];

    /// <summary>The snapshot to drill (a prefix is enough); default: the target's latest.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? SnapshotId { get; set; }

    /// <summary>Where volumes and configs are restored to be checked: Auto (memory when they fit, else disk), Memory or Disk.</summary>
    [Parameter]
    public DrillScratch Scratch { get; set; } = DrillScratch.Auto;

    protected override string Activity => "Drilling Datamancy backups";

    protected override void Process()
    {
        foreach (var target in Target.Length == 0 ? ["*"] : Target)
        {
            _requests.Add((target, SnapshotId));
        }
    }

    protected override void End()
    {
        var stack = LoadStack();
        var drills = _requests.SelectMany(r => BackupTargetResolver.Select(stack, [r.Target]).Select(t => (t, r.SnapshotId))).ToList();
        Run((engine, reporter) => BackupDrill.RunAllAsync(Session(stack, engine, reporter), Scratch, drills, Emit, Cancellation));
    }
}
