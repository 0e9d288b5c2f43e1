using System.Management.Automation;
using Datamancy.Backup;
using Datamancy.Commands.Infrastructure;
using Datamancy.Files;

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

    /// <summary>The cron.d file the schedule is written to; default /etc/cron.d/datamancy-backup-&lt;project&gt;.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ScheduleFile { get; set; }

    protected override string Activity => "Setting the Datamancy backup policy";

    // The manifest, not the assembly, so a scheduled run gets the format views and help too.
    private string ModuleManifest() =>
        MyInvocation.MyCommand.Module is { } module && System.IO.Path.Combine(module.ModuleBase, "Datamancy.psd1") is var manifest && File.Exists(manifest) ? manifest : "Datamancy";

    protected override void End()
    {
        var stack = LoadStack();
        if (Schedule is not null)
        {
            BackupSchedule.Validate(Schedule);
        }

        if (MaxAge is { } age && age <= TimeSpan.Zero)
        {
            throw new Errors.DatamancyException(Errors.ErrorIds.InvalidValue, Errors.ErrorKind.InvalidArgument, $"-MaxAge must be positive, not {age}.", age);
        }

        var current = BackupPolicy.Load(stack.Directory);
        var r = current.Retention;
        var policy = new BackupPolicy(
            new RetentionPolicy(KeepLatest ?? r.KeepLatest, KeepHourly ?? r.KeepHourly, KeepDaily ?? r.KeepDaily, KeepWeekly ?? r.KeepWeekly, KeepMonthly ?? r.KeepMonthly, KeepAnnual ?? r.KeepAnnual),
            MaxAge ?? current.MaxAge, Schedule ?? current.Schedule);
        var scheduleFile = Schedule is null ? string.Empty : ScheduleFile ?? BackupSchedule.DefaultFile(stack.ProjectName);
        if (!ShouldProcess(stack.Directory, "Set the backup policy" + (scheduleFile.Length > 0 ? $" and write {scheduleFile}" : string.Empty)))
        {
            return;
        }

        policy.Save(stack.Directory);
        if (scheduleFile.Length > 0)
        {
            var pwsh = System.IO.Path.Combine(SessionState.PSVariable.GetValue("PSHOME") as string ?? string.Empty, "pwsh");
            var line = BackupSchedule.CronLine(policy.Schedule!, File.Exists(pwsh) ? pwsh : "pwsh", ModuleManifest(), stack.Directory);
            PrivateFile.WriteAllText(scheduleFile, "# Written by Set-DatamancyBackupPolicy: the Datamancy backup and its restore drill.\n"
                + "SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n" + line + "\n");
        }

        if (BackupSettingsReader.Read(stack).Engine == BackupSettings.Kopia && policy.HasRetention)
        {
            // Kopia keeps the policy in the repository and applies it itself.
            Run(async (engine, reporter) =>
            {
                var session = Session(stack, engine, reporter);
                await using var tool = session.NewToolContainer([]);
                await session.EngineFor(await tool.RunnerAsync(Cancellation).ConfigureAwait(false)).ApplyRetentionAsync(policy.Retention, Cancellation).ConfigureAwait(false);
                return true;
            });
        }

        var p = policy.Retention;
        WriteObject(new BackupPolicyInfo(p.KeepLatest, p.KeepHourly, p.KeepDaily, p.KeepWeekly, p.KeepMonthly, p.KeepAnnual, policy.MaxAge,
            policy.Schedule ?? string.Empty, scheduleFile, stack.Directory));
    }
}
