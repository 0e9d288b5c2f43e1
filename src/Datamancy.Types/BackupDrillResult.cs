namespace Datamancy;

/// <summary>One restore drill (Test-DatamancyBackup): the snapshot restored to a scratch place and checked.</summary>
public sealed class BackupDrillResult
{
    public BackupDrillResult(string target, string kind, string snapshotId, bool passed, string restoreResult, string checkResult, long files, long bytes,
        IReadOnlyDictionary<string, long> rows, TimeSpan duration, string reason, string stackPath)
    {
        Target = target;
        Kind = kind;
        SnapshotId = snapshotId;
        Passed = passed;
        RestoreResult = restoreResult;
        CheckResult = checkResult;
        Files = files;
        Bytes = bytes;
        Rows = new(rows);
        Duration = duration;
        Reason = reason;
        StackPath = stackPath;
    }

    public string Target { get; }

    public string Kind { get; }

    public string SnapshotId { get; }

    public bool Passed { get; }

    /// <summary>Success, Failure or Skipped.</summary>
    public string RestoreResult { get; }

    /// <summary>Success, Failure or Skipped: the repository check, the file comparison, or the tables and row counts.</summary>
    public string CheckResult { get; }

    /// <summary>Files restored (1 for a dump).</summary>
    public long Files { get; }

    public long Bytes { get; }

    /// <summary>For a database: the row count of each table after loading the dump into a throwaway container.</summary>
    public CountMap Rows { get; }

    public TimeSpan Duration { get; }

    /// <summary>Why it failed; empty when it passed.</summary>
    public string Reason { get; }

    public string StackPath { get; }
}
