using System.Management.Automation;
using Datamancy.Backup;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Sets the stack's backup retention, the maximum age Get-DatamancyBackup accepts, and a cron schedule that runs the backup and its drill.</summary>
[Cmdlet(VerbsCommon.Set, "DatamancyBackupPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(BackupPolicyInfo))]
public sealed class SetDatamancyBackupPolicyCommand : BackupCmdlet
{
    [Parameter, ValidateRange(1, 100000)] public int? KeepLatest { get; set; }

    [Parameter, ValidateRange(1, 100000)] public int? KeepHourly { get; set; }

    [Parameter, ValidateRange(1, 100000)] public int? KeepDaily { get; set; }

    [Parameter, ValidateRange(1, 100000)] public int? KeepWeekly { get; set; }

    [Parameter, ValidateRange(1, 100000)] public int? KeepMonthly { get; set; }

    [Parameter, ValidateRange(1, 100000)] public int? KeepAnnual { get; set; }

    /// <summary>The oldest a target's latest snapshot may be before Get-DatamancyBackup calls it Outdated.</summary>
    [Parameter]
    public TimeSpan? MaxAge { get; set; }

    /// <summary>A cron schedule ('30 2 * * *', '@daily') for Invoke-DatamancyBackup | Test-DatamancyBackup.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Schedule { get; set; }

    /// <summary>The cron.d file the schedule is written to; default datamancy-backup-&lt;project&gt; in /etc/cron.d ($env:DATAMANCY_CRON_DIR overrides): Register-DatamancySchedule's Backup schedule.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ScheduleFile { get; set; }

    /// <summary>Back up .env and private keys with the configs (into the encrypted repository); -IncludeSecrets:$false stops it.</summary>
    [Parameter]
    public SwitchParameter IncludeSecrets { get; set; }

    protected override string Activity => "Setting the Datamancy backup policy";

    protected override void End()
    {
        var stack = LoadStack();
        var change = new BackupPolicyChange(new RetentionPolicy(KeepLatest, KeepHourly, KeepDaily, KeepWeekly, KeepMonthly, KeepAnnual), MaxAge, Schedule, ScheduleFile,
            MyInvocation.BoundParameters.ContainsKey(nameof(IncludeSecrets)) ? IncludeSecrets.IsPresent : null);
        var (policy, scheduleFile) = change.Plan(stack.Directory, stack.ProjectName);
        // Without a retention rule nothing goes to the repository, so the backup settings are not even
        // read; with one, they are read before anything is written, so broken settings change nothing.
        var toRepository = policy.HasRetention && BackupPolicyChange.NeedsRepository(BackupSettingsReader.Read(stack), policy);
        if (!ShouldProcess(stack.Directory, "Set the backup policy" + (scheduleFile.Length > 0 ? $" and write {scheduleFile}" : string.Empty)))
        {
            return;
        }

        BackupPolicyChange.Write(stack.Directory, policy, scheduleFile, ScheduledModule.Pwsh(this), ScheduledModule.Manifest(this));
        if (toRepository)
        {
            Run((engine, reporter) => BackupPolicyChange.ApplyToRepositoryAsync(Session(stack, engine, reporter), policy, Cancellation));
        }

        WriteObject(policy.Describe(stack.Directory));
    }
}
