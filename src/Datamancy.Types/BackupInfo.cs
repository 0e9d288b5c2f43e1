namespace Datamancy;

/// <summary>A target's backups, as Get-DatamancyBackup reports them: the latest (or each) snapshot and its compliance with the policy.</summary>
public sealed class BackupInfo
{
    public BackupInfo(string target, string kind, string engine, string snapshotId, DateTimeOffset? time, TimeSpan? age, long bytes, long files,
        int snapshotCount, BackupCompliance status, TimeSpan maxAge, string stackPath)
    {
        Target = target;
        Kind = kind;
        Engine = engine;
        SnapshotId = snapshotId;
        Time = time;
        Age = age;
        Bytes = bytes;
        Files = files;
        SnapshotCount = snapshotCount;
        Status = status;
        MaxAge = maxAge;
        StackPath = stackPath;
    }

    public string Target { get; }

    public string Kind { get; }

    public string Engine { get; }

    /// <summary>Empty when the target was never backed up.</summary>
    public string SnapshotId { get; }

    public DateTimeOffset? Time { get; }

    public TimeSpan? Age { get; }

    /// <summary>0 when the engine does not list sizes (restic 0.14).</summary>
    public long Bytes { get; }

    public long Files { get; }

    /// <summary>How many snapshots the repository holds for the target.</summary>
    public int SnapshotCount { get; }

    public BackupCompliance Status { get; }

    /// <summary>The policy's maximum age of the latest snapshot.</summary>
    public TimeSpan MaxAge { get; }

    public string StackPath { get; }
}
