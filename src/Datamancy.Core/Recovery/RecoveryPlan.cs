using Datamancy.Backup;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Recovery;

/// <summary>
/// A whole-stack restore in the order real restores use: the stack folder, then the volumes (made
/// with Compose's labels and filled before any container uses them), then the databases started
/// alone and their dumps loaded, then the other services in depends_on order, then their checks.
/// </summary>
public sealed record RecoveryPlan(
    RecoverySet Set,
    StackDefinition Stack,
    IReadOnlyList<ServiceDefinition> Services,
    IReadOnlyList<(BackupTarget Target, SnapshotRecord Snapshot)> Volumes,
    IReadOnlyList<(BackupTarget Target, SnapshotRecord Snapshot)> Databases,
    IReadOnlyList<ServiceDefinition> Others,
    IReadOnlyList<string> NeverBackedUp)
{
    /// <summary>
    /// Plans the restore of <paramref name="stack"/> (read from the restored stack folder) from
    /// <paramref name="set"/>. Without profiles: the profiles of every service something was backed up
    /// for, with the services that have no profile, as Compose would start them.
    /// </summary>
    public static RecoveryPlan Create(StackDefinition stack, RecoverySet set, IReadOnlyCollection<string>? profiles, Action<string> warn)
    {
        var all = BackupTargetResolver.All(stack);
        var chosen = profiles is { Count: > 0 } ? profiles : stack.Services
            .Where(s => BackupTargetResolver.OfServices(stack, all, [s.Name]).Any(t => set.Targets.ContainsKey(t.Name)))
            .SelectMany(s => s.Profiles).Distinct(StringComparer.Ordinal).ToList();
        var services = ProfileResolver.Resolve(stack, chosen, [], warn);
        var targets = BackupTargetResolver.OfServices(stack, all, services.Select(s => s.Name));
        var volumes = targets.Where(t => t.Kind == BackupTarget.VolumeKind && set.Targets.ContainsKey(t.Name)).Select(t => (t, set.Targets[t.Name])).ToList();
        var databases = targets.Where(t => t.Kind == BackupTarget.DatabaseKind && set.Targets.ContainsKey(t.Name)).Select(t => (t, set.Targets[t.Name])).ToList();
        var databaseNames = databases.Select(d => d.t.Name).ToHashSet(StringComparer.Ordinal);
        var others = InStartOrder(services.Where(s => !databaseNames.Contains(s.Name)).ToList());
        var missing = targets.Where(t => !set.Targets.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        return new RecoveryPlan(set, stack, services, volumes, databases, others, missing);
    }

    /// <summary>The services that hold the dumps, started alone before the others.</summary>
    public IReadOnlyList<ServiceDefinition> DatabaseServices =>
        Services.Where(s => Databases.Any(d => d.Target.Name == s.Name)).ToList();

    /// <summary>One line per step, in order, as -WhatIf shows them.</summary>
    public IReadOnlyList<string> Steps(string path, string engine)
    {
        var steps = new List<string> { $"Restore the stack folder of '{Set.Project}' from snapshot {Set.StackFolder.Id} ({Set.StackFolder.Time:u}) into {path}" };
        var volumeNames = Stack.Volumes.ToDictionary(v => v.Key, v => v.Name, StringComparer.Ordinal);
        var made = Services.SelectMany(s => s.Volumes).Where(v => v.Type == "volume" && v.Source is not null && volumeNames.ContainsKey(v.Source))
            .Select(v => volumeNames[v.Source!]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        steps.Add($"Create the networks and volumes of project '{Set.Project}' on {engine} with Compose's labels: {string.Join(", ", made)}");
        steps.AddRange(Volumes.Select(v => $"Fill volume {v.Target.VolumeName} from snapshot {v.Snapshot.Id} ({v.Snapshot.Time:u}) while no container uses it"));
        if (Databases.Count > 0)
        {
            steps.Add($"Start the databases alone: {string.Join(", ", DatabaseServices.Select(s => s.Name))}");
            steps.AddRange(Databases.Select(d => $"Load the dump of {d.Target.Name} from snapshot {d.Snapshot.Id} ({d.Snapshot.Time:u})"));
        }

        if (Others.Count > 0)
        {
            steps.Add($"Start the other services in depends_on order: {string.Join(", ", Others.Select(s => s.Name))}");
        }

        steps.Add($"Compare rows and files with the snapshots and run Test-DatamancyService on {string.Join(", ", Services.Select(s => s.Name))}");
        return steps;
    }

    /// <summary>The services ordered so that each comes after what it depends on (among them); ties keep the stack's order.</summary>
    public static IReadOnlyList<ServiceDefinition> InStartOrder(IReadOnlyList<ServiceDefinition> services)
    {
        var names = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var ordered = new List<ServiceDefinition>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (ordered.Count < services.Count)
        {
            var next = services.FirstOrDefault(s => !placed.Contains(s.Name) && s.DependsOn.All(d => !names.Contains(d.Service) || placed.Contains(d.Service)))
                ?? services.First(s => !placed.Contains(s.Name)); // a cycle: Compose refuses it at start; keep the stack's order
            ordered.Add(next);
            placed.Add(next.Name);
        }

        return ordered;
    }
}
