namespace Datamancy.Backup;

/// <summary>
/// One snapshot in a backup repository, in the engine-neutral form the cmdlets use. Tags are the
/// module's key/value tags (datamancy.target, datamancy.kind, ...); Bytes and Files are the
/// snapshot's totals; IncompleteReason is empty for a complete snapshot. RootObject is the engine's
/// handle on the snapshot's root directory where it has one (Kopia's rootEntry.obj, which `kopia show`
/// needs to stream a file), empty otherwise.
/// </summary>
public sealed record SnapshotRecord(
    string Id,
    string SourcePath,
    DateTimeOffset Time,
    IReadOnlyDictionary<string, string> Tags,
    long Bytes,
    long Files,
    string IncompleteReason = "",
    string RootObject = "");

/// <summary>What a backup run produced. Snapshot is null when the engine saved none because nothing changed (Kopia's ignoreIdenticalSnapshots).</summary>
public sealed record BackupOutcome(SnapshotRecord? Snapshot, long Bytes, long Files, IReadOnlyList<string> Warnings);

/// <summary>What a repository or snapshot verification found: no errors means it passed.</summary>
public sealed record VerifyOutcome(long CheckedObjects, long CheckedBytes, IReadOnlyList<string> Errors)
{
    public bool Passed => Errors.Count == 0;
}

/// <summary>How many snapshots to keep per source (null: the engine's default or no rule).</summary>
public sealed record RetentionPolicy(int? KeepLatest, int? KeepHourly, int? KeepDaily, int? KeepWeekly, int? KeepMonthly, int? KeepAnnual);

/// <summary>One entry in a snapshot's file listing.</summary>
public sealed record SnapshotEntry(string Path, string Type, long Size);
