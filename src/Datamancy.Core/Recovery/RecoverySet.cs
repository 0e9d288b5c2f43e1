using Datamancy.Backup;
using Datamancy.Errors;

namespace Datamancy.Recovery;

/// <summary>
/// The snapshots a whole-stack restore uses: for one project, the newest snapshot of every target
/// taken at or before a point in time (latest: now). The stack folder's snapshot (the configs
/// target) must be among them: without it there is nothing to rebuild from.
/// </summary>
public sealed record RecoverySet(string Project, SnapshotRecord StackFolder, IReadOnlyDictionary<string, SnapshotRecord> Targets)
{
    public static RecoverySet Choose(IReadOnlyList<SnapshotRecord> snapshots, string? project, DateTimeOffset? at, string repository)
    {
        var projects = snapshots
            .Where(s => s.Tags.TryGetValue(BackupTags.Target, out var t) && t == BackupTarget.ConfigsName && s.Tags.ContainsKey(BackupTags.Project))
            .Select(s => s.Tags[BackupTags.Project]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (project is { Length: > 0 } named)
        {
            projects = projects.Where(p => p == named).ToList();
        }

        if (projects.Count == 0)
        {
            throw new DatamancyException(ErrorIds.RecoveryNoStackFolder, ErrorKind.ObjectNotFound,
                $"The repository {repository} holds no snapshot of a stack folder{(project is { Length: > 0 } ? $" of the project '{project}'" : string.Empty)}: " +
                "a stack can be rebuilt only from a repository its configs target was backed up to (Invoke-DatamancyBackup -Target configs).", repository);
        }

        if (projects.Count > 1)
        {
            throw new DatamancyException(ErrorIds.RecoveryProjectAmbiguous, ErrorKind.InvalidArgument,
                $"The repository {repository} holds the stack folders of several projects ({string.Join(", ", projects)}): name one with -Project.", repository);
        }

        var chosen = projects[0];
        var cutoff = at ?? DateTimeOffset.MaxValue;
        var byTarget = BackupSession.ByTarget(snapshots, chosen);
        var targets = byTarget
            .Select(g => g.LastOrDefault(s => s.Time <= cutoff))
            .Where(s => s is not null)
            .ToDictionary(s => s!.Tags[BackupTags.Target], s => s!, StringComparer.Ordinal);
        if (!targets.TryGetValue(BackupTarget.ConfigsName, out var folder))
        {
            throw new DatamancyException(ErrorIds.BackupSnapshotNotFound, ErrorKind.ObjectNotFound,
                $"The stack folder of '{chosen}' was first backed up at {byTarget[BackupTarget.ConfigsName].First().Time:u}, after {cutoff:u}: choose a later -Snapshot, or latest.", chosen);
        }

        return new RecoverySet(chosen, folder, targets);
    }
}
