using System.Diagnostics;
using Datamancy.Errors;

namespace Datamancy.Backup;

/// <summary>
/// Test-DatamancyBackup, the restore drill, with one tool container for the whole call. Every drill
/// checks the repository first (alongside listing the snapshot). A directory snapshot (volume,
/// configs) is restored into scratch: a tmpfs when its files fit the memory budget, so the restored
/// copy is not written to disk (short of swap), else a scratch volume. The engine verifies the content against the
/// snapshot's hashes, and the files and sizes are compared with the snapshot's listing. A dump is
/// loaded into a throwaway container of its service's image, and the tables and their row counts
/// compared with those taken at dump time. The scratch is removed either way.
/// </summary>
public sealed class BackupDrill : IAsyncDisposable
{
    public const string MemoryRoot = "/drill/memory";
    public const string DiskRoot = "/drill/disk";

    /// <summary>At most this much of the engine host's memory holds a restored copy: 1/8 of it, and never more than 2 GiB.</summary>
    public const long MaxMemoryBytes = 2L << 30;

    private readonly BackupSession _session;
    private readonly ScratchVolume? _disk;
    private readonly ToolContainer _tool;
    private readonly long _memoryBytes;
    private readonly DrillScratch _scratch;
    private int _drills;
    private Task<VerifyOutcome>? _repositoryCheck;

    private BackupDrill(BackupSession session, ScratchVolume? disk, long memoryBytes, DrillScratch scratch)
    {
        _session = session;
        _disk = disk;
        _memoryBytes = memoryBytes;
        _scratch = scratch;
        var mounts = new List<ToolMount>();
        if (scratch != DrillScratch.Disk)
        {
            mounts.Add(ToolMount.Memory(MemoryRoot, memoryBytes));
        }

        if (disk is not null)
        {
            mounts.Add(ToolMount.Volume(disk.Name, DiskRoot, false));
        }

        _tool = session.NewToolContainer(mounts);
    }

    public static async Task<BackupDrill> CreateAsync(BackupSession session, DrillScratch scratch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var memory = scratch == DrillScratch.Disk ? 0 : MemoryBudget((await session.Docker.GetInfoAsync(cancellationToken).ConfigureAwait(false)).MemoryBytes);
        var disk = scratch == DrillScratch.Memory ? null : await ScratchVolume.CreateAsync(session.Docker, session.Stack.ProjectName, cancellationToken).ConfigureAwait(false);
        try
        {
            return new BackupDrill(session, disk, memory, scratch);
        }
        catch when (disk is not null)
        {
            await disk.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Test-DatamancyBackup's whole call: one drill (one tool container, one listing) for every
    /// request, a result per target emitted as soon as it is known; a target with no such snapshot is
    /// a failed result, and the others still run.
    /// </summary>
    public static async Task RunAllAsync(BackupSession session, DrillScratch scratch, IReadOnlyList<(BackupTarget Target, string? SnapshotId)> requests,
        Action<BackupDrillResult> emit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var drill = await CreateAsync(session, scratch, cancellationToken).ConfigureAwait(false);
        var snapshots = await drill.SnapshotsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (target, snapshotId) in requests.DistinctBy(r => (r.Target.Name, r.SnapshotId)))
        {
            SnapshotRecord snapshot;
            try
            {
                snapshot = BackupCatalog.Pick(snapshots, session.Stack.ProjectName, target.Name, snapshotId);
            }
            catch (DatamancyException exception)
            {
                emit(new BackupDrillResult(target.Name, target.Kind, snapshotId ?? string.Empty, false, "Skipped", "Skipped", 0, 0,
                    new Dictionary<string, long>(), TimeSpan.Zero, exception.Message, session.Stack.Directory));
                continue;
            }

            emit(await drill.RunAsync(target, snapshot, cancellationToken).ConfigureAwait(false));
        }
    }

    public static long MemoryBudget(long hostMemoryBytes) => Math.Clamp(hostMemoryBytes / 8, 0, MaxMemoryBytes);

    /// <summary>
    /// Where a restore of this many bytes in this many entries goes: memory when it fits with a page
    /// per entry to spare (or is demanded), else disk; null when memory is demanded and it does not fit.
    /// </summary>
    public static string? ScratchRoot(long fileBytes, int entries, long memoryBytes, DrillScratch scratch = DrillScratch.Auto)
    {
        var fits = fileBytes + (entries * 4096L) <= memoryBytes;
        return scratch switch
        {
            DrillScratch.Disk => DiskRoot,
            DrillScratch.Memory => fits ? MemoryRoot : null,
            _ => fits ? MemoryRoot : DiskRoot,
        };
    }

    /// <summary>Every snapshot in the repository, listed through the drill's own tool container.</summary>
    public async Task<IReadOnlyList<SnapshotRecord>> SnapshotsAsync(CancellationToken cancellationToken) =>
        await _session.EngineFor(await _tool.RunnerAsync(cancellationToken).ConfigureAwait(false)).ListAsync(cancellationToken).ConfigureAwait(false);

    public async Task<BackupDrillResult> RunAsync(BackupTarget target, SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(snapshot);
        var clock = Stopwatch.StartNew();
        _session.Reporter.Progress(target.Name, $"drill of snapshot {snapshot.Id}");
        var check = "Skipped";
        long files = 0, bytes = 0;
        IReadOnlyDictionary<string, long> rows = new Dictionary<string, long>();
        try
        {
            if (target.Kind == BackupTarget.DatabaseKind)
            {
                (rows, bytes) = await DrillDumpAsync(target, snapshot, cancellationToken).ConfigureAwait(false);
                files = 1;
            }
            else
            {
                (files, bytes) = await DrillDirectoryAsync(snapshot, cancellationToken).ConfigureAwait(false);
            }

            return Result(true, "Success", "Success", string.Empty);
        }
        catch (DrillFailure failure)
        {
            return Result(false, failure.Restored ? "Success" : "Failure", "Failure", failure.Message);
        }
        catch (DatamancyException exception)
        {
            return Result(false, "Failure", check, exception.Message);
        }

        BackupDrillResult Result(bool passed, string restoreResult, string checkResult, string reason) =>
            new(target.Name, target.Kind, snapshot.Id, passed, restoreResult, checkResult, files, bytes, rows, clock.Elapsed, reason, _session.Stack.Directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _tool.DisposeAsync().ConfigureAwait(false);
        if (_disk is not null)
        {
            await _disk.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<(long Files, long Bytes)> DrillDirectoryAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var runner = await _tool.RunnerAsync(cancellationToken).ConfigureAwait(false);
        var engine = _session.EngineFor(runner);
        var listing = await CheckAndListAsync(engine, snapshot, cancellationToken).ConfigureAwait(false);
        var expected = listing.Where(e => e.Type == "file").ToList();
        var bytes = expected.Sum(e => e.Size);
        var place = ScratchRoot(bytes, listing.Count, _memoryBytes, _scratch)
            ?? throw new DrillFailure(false, $"Snapshot {snapshot.Id} holds {bytes:N0} bytes in {listing.Count:N0} entries, more than the memory scratch's {_memoryBytes:N0} " +
                "(an eighth of the engine host's memory, at most 2 GiB): drill it with -Scratch Disk, or Auto.");
        var root = $"{place}/{Interlocked.Increment(ref _drills)}";
        try
        {
            await engine.RestoreAsync(snapshot, root, cancellationToken).ConfigureAwait(false);
            var restored = await RestoredFiles.ListAsync(runner, root + snapshot.SourcePath, cancellationToken).ConfigureAwait(false);
            var differences = RestoredFiles.Compare(expected, restored);
            if (differences.Count > 0)
            {
                throw new DrillFailure(true, $"The restored files differ from snapshot {snapshot.Id}: {string.Join("; ", differences.Take(10))}");
            }

            return (restored.Count, restored.Values.Sum());
        }
        finally
        {
            // Deleted before the container goes: the restored copy's pages are dropped, never written back.
            await RemoveScratchAsync(runner, root).ConfigureAwait(false);
        }
    }

    private async Task<(IReadOnlyDictionary<string, long> Rows, long Bytes)> DrillDumpAsync(BackupTarget target, SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var service = _session.Stack.FindService(target.Name) ?? throw new DatamancyException(ErrorIds.BackupTargetNotFound, ErrorKind.ObjectNotFound,
            $"The service {target.Name} is no longer in the stack, so there is no image to load its dump into.", target.Name);
        if (!snapshot.Tags.TryGetValue(BackupTags.Rows, out var rowsTag))
        {
            throw new DrillFailure(false, $"Snapshot {snapshot.Id} has no {BackupTags.Rows} tag: it was not made by Invoke-DatamancyBackup, so there is nothing to check it against.");
        }

        var expected = RowCounts.Decode(rowsTag);
        var engine = _session.EngineFor(await _tool.RunnerAsync(cancellationToken).ConfigureAwait(false));
        var size = (await CheckAndListAsync(engine, snapshot, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Path == target.DumpFile)?.Size
            ?? throw new DrillFailure(false, $"Snapshot {snapshot.Id} does not hold {target.DumpFile}.");

        await using var scratch = await ScratchDatabase.CreateAsync(_session.Docker, _session.Stack, service, cancellationToken).ConfigureAwait(false);
        long loaded = 0;
        try
        {
            if (target.Dialect!.DataFilePath is { } dataFile)
            {
                await engine.ReadFileAsync(snapshot, target.DumpFile, (dump, token) => scratch.PutFileAsync(dataFile, size, dump, token), cancellationToken).ConfigureAwait(false);
                await scratch.StartAsync(target, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await scratch.StartAsync(target, cancellationToken).ConfigureAwait(false);
                await engine.ReadFileAsync(snapshot, target.DumpFile, (dump, token) => DatabaseExec.LoadAsync(_session.Docker, scratch.Id, target, dump, token), cancellationToken).ConfigureAwait(false);
            }

            loaded = size;
        }
        catch (DatamancyException exception)
        {
            throw new DrillFailure(false, exception.Message);
        }

        var actual = await DatabaseExec.CountAsync(_session.Docker, scratch.Id, target, cancellationToken).ConfigureAwait(false);
        var differences = RowCounts.Differences(expected, actual);
        if (differences.Count > 0)
        {
            throw new DrillFailure(true, $"After loading snapshot {snapshot.Id}: {string.Join("; ", differences.Take(10))}");
        }

        return (actual, loaded);
    }

    /// <summary>The repository check and the snapshot's listing, run side by side; a failed check is the drill's reason before anything else.</summary>
    private async Task<IReadOnlyList<SnapshotEntry>> CheckAndListAsync(IBackupEngine engine, SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        // A check of the whole repository is run once per call, not once per target.
        var verifying = engine.VerifiesWholeRepository ? _repositoryCheck ??= engine.VerifyAsync(snapshot, cancellationToken) : engine.VerifyAsync(snapshot, cancellationToken);
        var listing = engine.ListFilesAsync(snapshot, cancellationToken);
        // Wait for both without throwing: they are observed below, the check first.
        await Task.WhenAll(verifying, listing).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .ConfigureAwait(false);
        var verify = await verifying.ConfigureAwait(false);
        if (!verify.Passed)
        {
            throw new DrillFailure(false, $"The repository check failed for snapshot {snapshot.Id}: {string.Join("; ", verify.Errors)}");
        }

        return await listing.ConfigureAwait(false);
    }

    private static async Task RemoveScratchAsync(IToolRunner runner, string root)
    {
        try
        {
            // Not the caller's token: a cancelled drill still cleans up (the container's removal is the backstop).
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await runner.RunAsync(new ToolInvocation(["rm", "-rf", root], new Dictionary<string, string>()), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is DatamancyException or OperationCanceledException or IOException)
        {
            // The container is gone or going: its removal takes the scratch with it.
        }
    }

    private sealed class DrillFailure(bool restored, string message) : Exception(message)
    {
        public bool Restored { get; } = restored;
    }
}
