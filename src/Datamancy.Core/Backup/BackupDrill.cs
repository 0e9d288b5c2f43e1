using System.Diagnostics;
using Datamancy.Errors;

namespace Datamancy.Backup;

/// <summary>
/// Test-DatamancyBackup, the restore drill. Every drill checks the repository first. A directory
/// snapshot (volume, configs) is restored into a scratch volume, its content verified against the
/// snapshot's hashes by the engine, and its files and sizes compared with the snapshot's listing.
/// A dump is loaded into a throwaway container of its service's image, and the tables and their
/// row counts compared with those taken at dump time. The scratch is removed either way.
/// </summary>
public sealed class BackupDrill(BackupSession session)
{
    public async Task<BackupDrillResult> RunAsync(BackupTarget target, SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        session.Reporter.Progress(target.Name, $"drill of snapshot {snapshot.Id}");
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
                (files, bytes) = await DrillDirectoryAsync(target, snapshot, cancellationToken).ConfigureAwait(false);
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
            new(target.Name, target.Kind, snapshot.Id, passed, restoreResult, checkResult, files, bytes, rows, clock.Elapsed, reason, session.Stack.Directory);
    }

    private async Task<(long Files, long Bytes)> DrillDirectoryAsync(BackupTarget target, SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var scratch = await ScratchVolume.CreateAsync(session.Docker, session.Stack.ProjectName, cancellationToken).ConfigureAwait(false);
        await using (scratch.ConfigureAwait(false))
        {
            await using var tool = session.NewToolContainer([ToolMount.Volume(scratch.Name, snapshot.SourcePath, false)]);
            var runner = await tool.RunnerAsync(cancellationToken).ConfigureAwait(false);
            var engine = session.EngineFor(runner);
            await VerifyRepositoryAsync(engine, snapshot, cancellationToken).ConfigureAwait(false);
            await engine.RestoreInPlaceAsync(snapshot, cancellationToken).ConfigureAwait(false);
            var expected = (await engine.ListFilesAsync(snapshot, cancellationToken).ConfigureAwait(false)).Where(e => e.Type == "file").ToList();
            var restored = await RestoredFiles.ListAsync(runner, snapshot.SourcePath, cancellationToken).ConfigureAwait(false);
            var differences = RestoredFiles.Compare(expected, restored);
            if (differences.Count > 0)
            {
                throw new DrillFailure(true, $"The restored files differ from snapshot {snapshot.Id}: {string.Join("; ", differences.Take(10))}");
            }

            return (restored.Count, restored.Values.Sum());
        }
    }

    private async Task<(IReadOnlyDictionary<string, long> Rows, long Bytes)> DrillDumpAsync(BackupTarget target, SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var service = session.Stack.FindService(target.Name) ?? throw new DatamancyException(ErrorIds.BackupTargetNotFound, ErrorKind.ObjectNotFound,
            $"The service {target.Name} is no longer in the stack, so there is no image to load its dump into.", target.Name);
        if (!snapshot.Tags.TryGetValue(BackupTags.Rows, out var rowsTag))
        {
            throw new DrillFailure(false, $"Snapshot {snapshot.Id} has no {BackupTags.Rows} tag: it was not made by Invoke-DatamancyBackup, so there is nothing to check it against.");
        }

        var expected = RowCounts.Decode(rowsTag);
        await using var tool = session.NewToolContainer([]);
        var engine = session.EngineFor(await tool.RunnerAsync(cancellationToken).ConfigureAwait(false));
        await VerifyRepositoryAsync(engine, snapshot, cancellationToken).ConfigureAwait(false);
        var size = (await engine.ListFilesAsync(snapshot, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Path == target.DumpFile)?.Size
            ?? throw new DrillFailure(false, $"Snapshot {snapshot.Id} does not hold {target.DumpFile}.");

        await using var scratch = await ScratchDatabase.CreateAsync(session.Docker, session.Stack, service, cancellationToken).ConfigureAwait(false);
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
                await engine.ReadFileAsync(snapshot, target.DumpFile, (dump, token) => DatabaseExec.LoadAsync(session.Docker, scratch.Id, target, dump, token), cancellationToken).ConfigureAwait(false);
            }

            loaded = size;
        }
        catch (DatamancyException exception)
        {
            throw new DrillFailure(false, exception.Message);
        }

        var actual = await DatabaseExec.CountAsync(session.Docker, scratch.Id, target, cancellationToken).ConfigureAwait(false);
        var differences = RowCounts.Differences(expected, actual);
        if (differences.Count > 0)
        {
            throw new DrillFailure(true, $"After loading snapshot {snapshot.Id}: {string.Join("; ", differences.Take(10))}");
        }

        return (actual, loaded);
    }

    private static async Task VerifyRepositoryAsync(IBackupEngine engine, SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var verify = await engine.VerifyAsync(snapshot, cancellationToken).ConfigureAwait(false);
        if (!verify.Passed)
        {
            throw new DrillFailure(false, $"The repository check failed for snapshot {snapshot.Id}: {string.Join("; ", verify.Errors)}");
        }
    }

    private sealed class DrillFailure(bool restored, string message) : Exception(message)
    {
        public bool Restored { get; } = restored;
    }
}
