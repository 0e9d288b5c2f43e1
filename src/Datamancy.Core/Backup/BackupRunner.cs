using System.Diagnostics;
using Datamancy.Engine;
using Datamancy.Errors;

namespace Datamancy.Backup;

/// <summary>
/// Invoke-DatamancyBackup: one tool container with every selected source mounted read-only, then
/// each target in turn: a volume or the configs (the stack folder, its secrets only when the policy
/// says so) as a directory snapshot, a database as its dump
/// streamed from an exec in its container straight into the tool's standard input. A target that
/// fails is reported and the others go on; after them the retention policy is applied.
/// </summary>
public sealed class BackupRunner(BackupSession session)
{
    public async Task RunAsync(IReadOnlyList<BackupTarget> targets, RetentionPolicy? retention, Action<BackupResult> emit, CancellationToken cancellationToken)
    {
        var stack = session.Stack;
        var containers = await ContainerObserver.ListAsync(session.Docker, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var volumes = await ExistingVolumesAsync(cancellationToken).ConfigureAwait(false);
        var configsExcludes = StackFolderSecrets.Excludes(BackupPolicy.Load(stack.Directory));
        var mounts = new List<ToolMount>();
        foreach (var target in targets)
        {
            if (target.Kind == BackupTarget.VolumeKind && volumes.Contains(target.VolumeName!))
            {
                mounts.Add(ToolMount.Volume(target.VolumeName!, target.SourcePath, true));
            }
            else if (target.Kind == BackupTarget.ConfigsKind)
            {
                mounts.AddRange(ConfigMounts(session));
            }
        }

        await using var tool = session.NewToolContainer(mounts);
        var engine = session.EngineFor(await tool.RunnerAsync(cancellationToken).ConfigureAwait(false));
        if (await engine.EnsureRepositoryAsync(cancellationToken).ConfigureAwait(false))
        {
            session.Reporter.Warning($"Created a new {engine.Name} repository at {session.Settings.Repository}. Keep its password ({session.Settings.PasswordVariable}) somewhere other than this host: without it the backups cannot be read.");
        }

        foreach (var target in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Reporter.Progress(target.Name, "backing up");
            var clock = Stopwatch.StartNew();
            BackupResult result;
            try
            {
                // After an aborted stream the tool container is new: take its runner each time.
                engine = session.EngineFor(await tool.RunnerAsync(cancellationToken).ConfigureAwait(false));
                var (outcome, bytes) = await BackupOneAsync(engine, target, containers, volumes, configsExcludes, cancellationToken).ConfigureAwait(false);
                var snapshotId = outcome.Snapshot?.Id ?? await LatestIdAsync(engine, target, cancellationToken).ConfigureAwait(false);
                var status = outcome.Snapshot is null ? BackupStatus.Unchanged : outcome.Snapshot.IncompleteReason.Length > 0 ? BackupStatus.Partial : BackupStatus.Completed;
                result = new BackupResult(target.Name, target.Kind, engine.Name, snapshotId, bytes ?? outcome.Bytes, outcome.Files, clock.Elapsed, status,
                    string.Join(" ", outcome.Warnings), stack.Directory);
            }
            catch (DatamancyException exception)
            {
                result = new BackupResult(target.Name, target.Kind, engine.Name, string.Empty, 0, 0, clock.Elapsed, BackupStatus.Failed, exception.Message, stack.Directory, exception.ErrorId);
            }

            session.Reporter.Progress(target.Name, result.Status.ToString());
            RecordAttempt(result);
            emit(result);
        }

        if (retention is not null && engine.Name == BackupSettings.Restic)
        {
            session.Reporter.Progress("retention", "forgetting snapshots outside the policy");
            await session.EngineFor(await tool.RunnerAsync(cancellationToken).ConfigureAwait(false)).ApplyRetentionAsync(retention, cancellationToken).ConfigureAwait(false);
        }
    }

    // The record Get-DatamancyStatus reads; a record that cannot be written does not fail the backup itself.
    private void RecordAttempt(BackupResult result)
    {
        try
        {
            BackupRecordStore.Record(session.Stack.Directory, result, DateTimeOffset.UtcNow);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            session.Reporter.Warning($"The backup record of '{result.Target}' was not written ({exception.Message}); Get-DatamancyStatus will not see this backup.");
        }
    }

    /// <summary>The configs are the stack folder, read-only; a repository kept inside it is hidden, so a backup never contains itself.</summary>
    public static IEnumerable<ToolMount> ConfigMounts(BackupSession session)
    {
        yield return ToolMount.Bind(session.Stack.Directory, BackupSettings.ConfigsPath, true);
        if (session.Settings.RepositoryHostPath is { } repository
            && Path.GetRelativePath(session.Stack.Directory, repository) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
        {
            yield return ToolMount.Hide($"{BackupSettings.ConfigsPath}/{relative.Replace('\\', '/')}");
        }
    }

    private async Task<(BackupOutcome Outcome, long? Bytes)> BackupOneAsync(IBackupEngine engine, BackupTarget target,
        IReadOnlyDictionary<string, LiveContainer> containers, IReadOnlySet<string> volumes, IReadOnlyList<string> configsExcludes, CancellationToken cancellationToken)
    {
        var tags = session.Tags(target);
        switch (target.Kind)
        {
            case BackupTarget.VolumeKind when !volumes.Contains(target.VolumeName!):
                throw new DatamancyException(ErrorIds.BackupTargetUnavailable, ErrorKind.ObjectNotFound,
                    $"The volume {target.VolumeName} does not exist yet: start a service that mounts it, or leave '{target.Name}' out of -Target.", target.Name);
            case BackupTarget.DatabaseKind:
                if (!containers.TryGetValue(target.Name, out var container) || !container.IsRunning)
                {
                    throw new DatamancyException(ErrorIds.BackupTargetUnavailable, ErrorKind.ResourceUnavailable,
                        $"The database service {target.Name} is not running, so it cannot be dumped: start it with Start-DatamancyService {target.Name}.", target.Name);
                }

                var rows = await DatabaseExec.CountAsync(session.Docker, container.Id, target, cancellationToken).ConfigureAwait(false);
                tags[BackupTags.Rows] = RowCounts.Encode(rows);
                long bytes = 0;
                var outcome = await engine.BackupStreamAsync(target.SourcePath, target.DumpFile,
                    async (input, token) => bytes = await DatabaseExec.DumpAsync(session.Docker, container.Id, target, input, token).ConfigureAwait(false),
                    tags, cancellationToken).ConfigureAwait(false);
                return (outcome, bytes);
            default:
                var excludes = target.Kind == BackupTarget.ConfigsKind ? configsExcludes : null;
                return (await engine.BackupPathAsync(target.SourcePath, excludes, tags, cancellationToken).ConfigureAwait(false), null);
        }
    }

    private async Task<string> LatestIdAsync(IBackupEngine engine, BackupTarget target, CancellationToken cancellationToken) =>
        BackupSession.ByTarget(await engine.ListAsync(cancellationToken).ConfigureAwait(false), session.Stack.ProjectName)[target.Name].LastOrDefault()?.Id ?? string.Empty;

    private async Task<IReadOnlySet<string>> ExistingVolumesAsync(CancellationToken cancellationToken)
    {
        var volumes = await session.Docker.ListVolumesAsync(null, cancellationToken).ConfigureAwait(false);
        return volumes.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
    }
}
