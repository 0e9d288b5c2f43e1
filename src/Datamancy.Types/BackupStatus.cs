namespace Datamancy;

/// <summary>What Invoke-DatamancyBackup did for one target.</summary>
public enum BackupStatus
{
    Completed,

    /// <summary>Nothing changed since the last snapshot.</summary>
    Unchanged,

    /// <summary>Some files could not be read.</summary>
    Partial,

    Failed,
}
