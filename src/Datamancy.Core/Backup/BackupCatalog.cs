using Datamancy.Stack.Model;

namespace Datamancy.Backup;

/// <summary>
/// Get-DatamancyBackup: the repository's snapshots of this stack per target, with a compliance
/// status like dbatools' Get-DbaLastBackup: OK, NeverBackedUp, Outdated (older than the policy's
/// MaxAge) or Incomplete. Targets no longer in the stack but still in the repository are listed too.
/// </summary>
public sealed class BackupCatalog(BackupSession session)
{
    public async Task<IReadOnlyList<SnapshotRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var tool = session.NewToolContainer([]);
        var engine = session.EngineFor(await tool.RunnerAsync(cancellationToken).ConfigureAwait(false));
        return await engine.ListAsync(cancellationToken).ConfigureAwait(false);
    }

    public static IReadOnlyList<BackupInfo> Report(StackDefinition stack, IReadOnlyList<BackupTarget> targets, IReadOnlyList<SnapshotRecord> snapshots,
        string engine, BackupPolicy policy, bool everySnapshot, DateTimeOffset now, bool includeOrphans)
    {
        var byTarget = BackupSession.ByTarget(snapshots, stack.ProjectName);
        var kinds = targets.ToDictionary(t => t.Name, t => t.Kind, StringComparer.Ordinal);
        if (includeOrphans)
        {
            foreach (var group in byTarget.Where(g => !kinds.ContainsKey(g.Key)))
            {
                kinds[group.Key] = group.Last().Tags.TryGetValue(BackupTags.Kind, out var kind) ? kind : string.Empty;
            }
        }

        var report = new List<BackupInfo>();
        foreach (var (name, kind) in kinds)
        {
            var list = byTarget[name].ToList();
            if (list.Count == 0)
            {
                report.Add(new BackupInfo(name, kind, engine, string.Empty, null, null, 0, 0, 0, BackupCompliance.NeverBackedUp, policy.MaxAge, stack.Directory));
                continue;
            }

            foreach (var snapshot in everySnapshot ? list : [list[^1]])
            {
                var age = now - snapshot.Time;
                var status = snapshot.IncompleteReason.Length > 0 ? BackupCompliance.Incomplete : age > policy.MaxAge ? BackupCompliance.Outdated : BackupCompliance.OK;
                report.Add(new BackupInfo(name, kind, engine, snapshot.Id, snapshot.Time, age, snapshot.Bytes, snapshot.Files, list.Count, status, policy.MaxAge, stack.Directory));
            }
        }

        return report;
    }

    /// <summary>The snapshot a restore or drill of <paramref name="target"/> uses: the one named, else the latest.</summary>
    public static SnapshotRecord Pick(IReadOnlyList<SnapshotRecord> snapshots, string project, string target, string? snapshotId)
    {
        var list = BackupSession.ByTarget(snapshots, project)[target].ToList();
        var picked = snapshotId is { Length: > 0 }
            ? list.LastOrDefault(s => s.Id.StartsWith(snapshotId, StringComparison.OrdinalIgnoreCase) || snapshotId.StartsWith(s.Id, StringComparison.OrdinalIgnoreCase))
            : list.LastOrDefault();
        return picked ?? throw new Errors.DatamancyException(Errors.ErrorIds.BackupSnapshotNotFound, Errors.ErrorKind.ObjectNotFound,
            snapshotId is { Length: > 0 }
                ? $"No snapshot {snapshotId} of '{target}' is in the repository; list them with Get-DatamancyBackup -Target {target} -All."
                : $"'{target}' has never been backed up: run Invoke-DatamancyBackup -Target {target} first.", target);
    }
}
