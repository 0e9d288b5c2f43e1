using System.Diagnostics;
using Datamancy.Engine;
using Datamancy.Errors;
using Docker.DotNet.Models;

namespace Datamancy.Backup;

/// <summary>
/// Restore-DatamancyBackup: a directory snapshot into a folder or back into its volume, a dump into
/// a file or into its running database. Live data (a volume with files, a database) is only
/// replaced with force; a volume restored in place is emptied first, so it holds exactly the snapshot.
/// </summary>
public sealed class BackupRestorer(BackupSession session)
{
    public async Task<RestoreResult> RestoreAsync(BackupTarget target, SnapshotRecord snapshot, string? destination, bool force, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        session.Reporter.Progress(target.Name, $"restoring snapshot {snapshot.Id}");
        var (where, files, bytes) = target.Kind == BackupTarget.DatabaseKind
            ? destination is null ? await LoadIntoServiceAsync(target, snapshot, force, cancellationToken).ConfigureAwait(false)
                : await DumpToFolderAsync(target, snapshot, destination, force, cancellationToken).ConfigureAwait(false)
            : await RestoreDirectoryAsync(target, snapshot, destination, force, cancellationToken).ConfigureAwait(false);
        return new RestoreResult(target.Name, target.Kind, snapshot.Id, where, files, bytes, clock.Elapsed, session.Stack.Directory);
    }

    private async Task<(string, long, long)> RestoreDirectoryAsync(BackupTarget target, SnapshotRecord snapshot, string? destination, bool force, CancellationToken cancellationToken)
    {
        ToolMount mount;
        string where;
        if (destination is not null)
        {
            RefuseNonEmptyFolder(destination, force);
            System.IO.Directory.CreateDirectory(destination);
            mount = ToolMount.Bind(Path.GetFullPath(destination), snapshot.SourcePath, false);
            where = Path.GetFullPath(destination);
        }
        else if (target.Kind == BackupTarget.VolumeKind)
        {
            mount = ToolMount.Volume(target.VolumeName!, snapshot.SourcePath, false);
            where = "volume:" + target.VolumeName;
        }
        else
        {
            RefuseNonEmptyFolder(session.Stack.Directory, force);
            mount = ToolMount.Bind(session.Stack.Directory, snapshot.SourcePath, false);
            where = session.Stack.Directory;
        }

        await using var tool = session.NewToolContainer([mount]);
        var runner = await tool.RunnerAsync(cancellationToken).ConfigureAwait(false);
        if (destination is null && target.Kind == BackupTarget.VolumeKind)
        {
            await EmptyVolumeAsync(runner, target, snapshot.SourcePath, force, cancellationToken).ConfigureAwait(false);
        }

        await session.EngineFor(runner).RestoreAsync(snapshot, "/", cancellationToken).ConfigureAwait(false);
        var restored = await RestoredFiles.ListAsync(runner, snapshot.SourcePath, cancellationToken).ConfigureAwait(false);
        return (where, restored.Count, restored.Values.Sum());
    }

    private static async Task EmptyVolumeAsync(IToolRunner runner, BackupTarget target, string path, bool force, CancellationToken cancellationToken)
    {
        var probe = await runner.RunAsync(new ToolInvocation(["find", path, "-mindepth", "1", "-maxdepth", "1"], new Dictionary<string, string>()), cancellationToken).ConfigureAwait(false);
        if (probe.StandardOutput.Trim().Length == 0)
        {
            return;
        }

        if (!force)
        {
            throw new DatamancyException(ErrorIds.RestoreWouldOverwrite, ErrorKind.ResourceExists,
                $"The volume {target.VolumeName} holds data. Restoring into it replaces all of it: stop the services that use it and add -Force, or restore to a folder with -Destination.", target.Name);
        }

        var emptied = await runner.RunAsync(new ToolInvocation(["find", path, "-mindepth", "1", "-delete"], new Dictionary<string, string>()), cancellationToken).ConfigureAwait(false);
        if (emptied.ExitCode != 0)
        {
            throw new DatamancyException(ErrorIds.BackupToolFailed, ErrorKind.InvalidOperation, $"Emptying the volume {target.VolumeName} failed: {emptied.StandardError.Trim()}", target.Name);
        }
    }

    private async Task<(string, long, long)> DumpToFolderAsync(BackupTarget target, SnapshotRecord snapshot, string destination, bool force, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(destination);
        var path = Path.GetFullPath(Path.Combine(destination, target.DumpFile));
        if (File.Exists(path) && !force)
        {
            throw new DatamancyException(ErrorIds.RestoreWouldOverwrite, ErrorKind.ResourceExists, $"{path} exists: remove it, choose another -Destination, or add -Force.", path);
        }

        await using var tool = session.NewToolContainer([]);
        var engine = session.EngineFor(await tool.RunnerAsync(cancellationToken).ConfigureAwait(false));
        long bytes = 0;

        // A dump holds credentials' hashes and private data: the file is readable by its owner only.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new FileStream(path, options))
        {
            await engine.ReadFileAsync(snapshot, target.DumpFile, async (dump, token) => bytes = await CountingCopy.CopyAsync(dump, file, token).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
        }

        return (path, 1, bytes);
    }

    private async Task<(string, long, long)> LoadIntoServiceAsync(BackupTarget target, SnapshotRecord snapshot, bool force, CancellationToken cancellationToken)
    {
        if (!force)
        {
            throw new DatamancyException(ErrorIds.RestoreWouldOverwrite, ErrorKind.ResourceExists,
                $"Loading the dump into {target.Name} replaces its live data: add -Force to do it, or restore it to a file with -Destination.", target.Name);
        }

        var containers = await ContainerObserver.ListAsync(session.Docker, session.Stack.ProjectName, cancellationToken).ConfigureAwait(false);
        if (!containers.TryGetValue(target.Name, out var container) || (!container.IsRunning && target.Dialect!.DataFilePath is null))
        {
            throw new DatamancyException(ErrorIds.BackupTargetUnavailable, ErrorKind.ResourceUnavailable,
                $"The database service {target.Name} is not running: start it with Start-DatamancyService {target.Name}, then restore.", target.Name);
        }

        await using var tool = session.NewToolContainer([]);
        var engine = session.EngineFor(await tool.RunnerAsync(cancellationToken).ConfigureAwait(false));
        var size = (await engine.ListFilesAsync(snapshot, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Path == target.DumpFile)?.Size
            ?? throw new DatamancyException(ErrorIds.BackupSnapshotNotFound, ErrorKind.ObjectNotFound, $"Snapshot {snapshot.Id} does not hold {target.DumpFile}.", target.Name);
        if (target.Dialect!.DataFilePath is { } dataFile)
        {
            await ReplaceDataFileAsync(target, container.Id, dataFile, engine, snapshot, size, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await engine.ReadFileAsync(snapshot, target.DumpFile, (dump, token) => DatabaseExec.LoadAsync(session.Docker, container.Id, target, dump, token), cancellationToken)
                .ConfigureAwait(false);
        }

        return ("service:" + target.Name, 1, size);
    }

    // The server reads this file only at start, and only from a data folder that holds nothing newer
    // (Redis ignores it next to an appendonlydir): stop it, set its data aside, put the file, start it.
    // Until the file is in, the previous data can come back: a failed read leaves the server as it was.
    private async Task ReplaceDataFileAsync(BackupTarget target, string serverId, string dataFile, IBackupEngine engine, SnapshotRecord snapshot, long size,
        CancellationToken cancellationToken)
    {
        var service = session.Stack.FindService(target.Name);
        await session.Docker.StopContainerAsync(serverId, service is null ? TimeSpan.FromSeconds(10) : Reconciler.StopGrace(service), cancellationToken).ConfigureAwait(false);
        var swap = new DataFolderSwap(session, serverId, Path.GetDirectoryName(dataFile)!.Replace('\\', '/'));
        try
        {
            await swap.MoveAsideAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not DatamancyException { ErrorId: ErrorIds.RestoreLeftoverFound })
        {
            await PutBackAndStartAsync(swap, serverId).ConfigureAwait(false);
            throw;
        }
        catch
        {
            await session.Docker.StartContainerAsync(serverId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        try
        {
            await engine.ReadFileAsync(snapshot, target.DumpFile, (dump, token) => ScratchDatabase.PutFileAsync(session.Docker, serverId, dataFile, size, dump, token), cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            await PutBackAndStartAsync(swap, serverId).ConfigureAwait(false);
            throw;
        }

        await session.Docker.StartContainerAsync(serverId, cancellationToken).ConfigureAwait(false);
        await swap.DiscardAsync(cancellationToken).ConfigureAwait(false);
    }

    // After a failure or Ctrl+C: not cancellable, so the server is never left stopped without its data.
    private async Task PutBackAndStartAsync(DataFolderSwap swap, string serverId)
    {
        session.Reporter.Warning("The restore failed: putting the server's previous data back and starting it again.");
        await swap.PutBackAsync(CancellationToken.None).ConfigureAwait(false);
        await session.Docker.StartContainerAsync(serverId, CancellationToken.None).ConfigureAwait(false);
    }

    private static void RefuseNonEmptyFolder(string folder, bool force)
    {
        if (!force && System.IO.Directory.Exists(folder) && System.IO.Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new DatamancyException(ErrorIds.RestoreWouldOverwrite, ErrorKind.ResourceExists,
                $"{folder} is not empty: restore into an empty folder, or add -Force to write over what is there.", folder);
        }
    }
}
