using Datamancy.Errors;
using Datamancy.Schedules;

namespace Datamancy.Backup;

/// <summary>
/// Set-DatamancyBackupPolicy's work: the values given (null: keep the current one) merged into the
/// stack's policy and checked before anything is written; then the policy file, the cron file that
/// runs the backup and its drill, and, for Kopia, the retention kept in the repository.
/// </summary>
public sealed record BackupPolicyChange(RetentionPolicy Given, TimeSpan? MaxAge, string? Schedule, string? ScheduleFile, bool? IncludeSecrets = null)
{
    /// <summary>The new policy and the cron file it writes (empty when no schedule was given); refuses bad values first.</summary>
    public (BackupPolicy Policy, string ScheduleFile) Plan(string stackDirectory, string project)
    {
        if (Schedule is not null)
        {
            CronExpression.Validate(Schedule);
        }

        if (MaxAge is { } age && age <= TimeSpan.Zero)
        {
            throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidArgument, $"-MaxAge must be positive, not {age}.", age);
        }

        var current = BackupPolicy.Load(stackDirectory);
        var r = current.Retention;
        var scheduleFile = Schedule is null ? string.Empty : ScheduleFile ?? ScheduleLocations.Resolve(null, null, Environment.GetEnvironmentVariable).CronFile(ScheduleTask.Backup, project);
        var policy = new BackupPolicy(
            new RetentionPolicy(Given.KeepLatest ?? r.KeepLatest, Given.KeepHourly ?? r.KeepHourly, Given.KeepDaily ?? r.KeepDaily,
                Given.KeepWeekly ?? r.KeepWeekly, Given.KeepMonthly ?? r.KeepMonthly, Given.KeepAnnual ?? r.KeepAnnual),
            MaxAge ?? current.MaxAge, Schedule ?? current.Schedule, Schedule is null ? current.ScheduleFile : scheduleFile,
            IncludeSecrets ?? current.IncludeSecrets);
        return (policy, scheduleFile);
    }

    /// <summary>Writes the policy and the cron file; <paramref name="pwsh"/> and <paramref name="moduleManifest"/> are what the cron line runs.</summary>
    public static void Write(string stackDirectory, BackupPolicy policy, string scheduleFile, string pwsh, string moduleManifest)
    {
        policy.Save(stackDirectory);
        if (scheduleFile.Length > 0)
        {
            // The Backup schedule of Register-DatamancySchedule, written by the same writer.
            ScheduleFiles.WriteCron(scheduleFile, new ScheduledRun(ScheduleTask.Backup, stackDirectory, pwsh, moduleManifest), policy.Schedule!, "Set-DatamancyBackupPolicy");
        }
    }

    /// <summary>Kopia keeps retention in the repository and applies it itself; restic applies it at each backup (forget), so nothing is sent.</summary>
    public static bool NeedsRepository(BackupSettings settings, BackupPolicy policy) => settings.Engine == BackupSettings.Kopia && policy.HasRetention;

    public static async Task ApplyToRepositoryAsync(BackupSession session, BackupPolicy policy, CancellationToken cancellationToken)
    {
        await using var tool = session.NewToolContainer([]);
        await session.EngineFor(await tool.RunnerAsync(cancellationToken).ConfigureAwait(false)).ApplyRetentionAsync(policy.Retention, cancellationToken).ConfigureAwait(false);
    }
}
