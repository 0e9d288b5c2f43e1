namespace Datamancy.Backup;

/// <summary>
/// A backup tool (Kopia, restic) behind one interface. Every method runs the tool's command line
/// through the runner it was built with; the repository password reaches the tool through its
/// environment only. Source paths are paths as the runner sees them (/sources/volumes/x in a
/// tool container). Failures are DatamancyException with ErrorIds.Backup* and the tool's own words.
/// </summary>
public interface IBackupEngine
{
    /// <summary>"kopia" or "restic".</summary>
    string Name { get; }

    /// <summary>Opens the repository, creating it first when it does not exist yet. Returns true when it was created.</summary>
    Task<bool> EnsureRepositoryAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Snapshots a directory, leaving out the files that match <paramref name="excludes"/> (file-name
    /// patterns such as ".env" or "*.key", matched at any depth). Null leaves the tool's own rules
    /// for the source alone; a list (even empty) replaces the rules this module set before.
    /// </summary>
    Task<BackupOutcome> BackupPathAsync(string sourcePath, IReadOnlyList<string>? excludes, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Snapshots a stream as the single file <paramref name="fileName"/> of source <paramref name="sourcePath"/>; nothing is written to disk.</summary>
    Task<BackupOutcome> BackupStreamAsync(string sourcePath, string fileName, Func<Stream, CancellationToken, Task> writeContent,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Every snapshot in the repository, oldest first.</summary>
    Task<IReadOnlyList<SnapshotRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The files and directories of a snapshot, paths relative to its source.</summary>
    Task<IReadOnlyList<SnapshotEntry>> ListFilesAsync(SnapshotRecord snapshot, CancellationToken cancellationToken);

    /// <summary>
    /// Restores a directory snapshot so that its source path is recreated under <paramref name="root"/>
    /// as the runner sees it, verifying content against the snapshot: "/" restores onto the source
    /// path itself (the caller mounts the destination there), "/drill/x" into /drill/x/sources/....
    /// </summary>
    Task RestoreAsync(SnapshotRecord snapshot, string root, CancellationToken cancellationToken);

    /// <summary>Streams one file of a snapshot (a stream snapshot's file) to <paramref name="readContent"/>.</summary>
    Task ReadFileAsync(SnapshotRecord snapshot, string fileName, Func<Stream, CancellationToken, Task> readContent, CancellationToken cancellationToken);

    /// <summary>True when VerifyAsync checks the whole repository whatever the snapshot (restic check), so one check serves every snapshot of a call.</summary>
    bool VerifiesWholeRepository { get; }

    /// <summary>Reads back and checks the content of one snapshot (all of it).</summary>
    Task<VerifyOutcome> VerifyAsync(SnapshotRecord snapshot, CancellationToken cancellationToken);

    /// <summary>Applies a retention policy: Kopia stores it as the global policy; restic forgets and prunes now.</summary>
    Task ApplyRetentionAsync(RetentionPolicy policy, CancellationToken cancellationToken);
}
