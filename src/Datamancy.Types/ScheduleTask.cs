namespace Datamancy;

/// <summary>What a Datamancy schedule runs.</summary>
public enum ScheduleTask
{
    /// <summary>Invoke-DatamancyBackup | Test-DatamancyBackup: the backup and its restore drill (the backup policy's schedule).</summary>
    Backup,

    /// <summary>Test-DatamancyBackup: a restore drill of each target's latest snapshot.</summary>
    BackupDrill,

    /// <summary>Test-DatamancyService: every service's checks, recording last_pass.json.</summary>
    ServiceTest,

    /// <summary>Export-DatamancyReport: the Markdown, Html, Json and Prometheus reports into data/reports.</summary>
    Report,

    /// <summary>Test-DatamancySecurity: fails the run when a High or Critical finding is open.</summary>
    SecurityAudit,
}
