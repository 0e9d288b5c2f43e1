namespace Datamancy;

/// <summary>What Invoke-DatamancyBackup did for one target.</summary>
public sealed class BackupResult
{
    public BackupResult(string target, string kind, string engine, string snapshotId, long bytes, long files, TimeSpan duration, BackupStatus status, string error, string stackPath, string errorId = "")
    {
        Target = target;
        Kind = kind;
        Engine = engine;
        SnapshotId = snapshotId;
        Bytes = bytes;
        Files = files;
        Duration = duration;
        Status = status;
        Error = error;
        StackPath = stackPath;
        ErrorId = errorId;
    }

    /// <summary>The volume key, database service name, or "configs".</summary>
    public string Target { get; }

    /// <summary>Volume, Database or Configs.</summary>
    public string Kind { get; }

    /// <summary>kopia or restic.</summary>
    public string Engine { get; }

    /// <summary>The snapshot made (or, when Unchanged, the latest one); empty when the backup failed.</summary>
    public string SnapshotId { get; }

    /// <summary>Bytes read from the source (a dump's size as streamed).</summary>
    public long Bytes { get; }

    public long Files { get; }

    public TimeSpan Duration { get; }

    public BackupStatus Status { get; }

    /// <summary>Why it failed or what was skipped; empty otherwise.</summary>
    public string Error { get; }

    public string StackPath { get; }

    public string ErrorId { get; }
}
