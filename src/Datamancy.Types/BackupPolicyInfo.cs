namespace Datamancy;

/// <summary>The stack's backup policy as backup-policy.json holds it: what Get-DatamancyBackupPolicy reads and Set-DatamancyBackupPolicy writes.</summary>
public sealed class BackupPolicyInfo
{
    public BackupPolicyInfo(int? keepLatest, int? keepHourly, int? keepDaily, int? keepWeekly, int? keepMonthly, int? keepAnnual, TimeSpan maxAge,
        string schedule, string scheduleFile, string stackPath, bool includeSecrets = false)
    {
        KeepLatest = keepLatest;
        KeepHourly = keepHourly;
        KeepDaily = keepDaily;
        KeepWeekly = keepWeekly;
        KeepMonthly = keepMonthly;
        KeepAnnual = keepAnnual;
        MaxAge = maxAge;
        Schedule = schedule;
        ScheduleFile = scheduleFile;
        StackPath = stackPath;
        IncludeSecrets = includeSecrets;
    }

    public int? KeepLatest { get; }

    public int? KeepHourly { get; }

    public int? KeepDaily { get; }

    public int? KeepWeekly { get; }

    public int? KeepMonthly { get; }

    public int? KeepAnnual { get; }

    /// <summary>Older than this, a target's latest snapshot is Outdated.</summary>
    public TimeSpan MaxAge { get; }

    /// <summary>The cron schedule; empty when none is set.</summary>
    public string Schedule { get; }

    /// <summary>The cron.d file Set-DatamancyBackupPolicy wrote for the schedule; empty when none was written.</summary>
    public string ScheduleFile { get; }

    /// <summary>True when the configs target backs up .env and private keys too (into the encrypted repository only).</summary>
    public bool IncludeSecrets { get; }

    public string StackPath { get; }
}
