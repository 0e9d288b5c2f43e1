using Datamancy.Backup.Databases;
using Datamancy.Errors;
using Datamancy.Security;
using Datamancy.Stack.Model;

namespace Datamancy.Backup;

/// <summary>
/// The stack's backup targets: every database service as a dump; every named volume the services
/// mount, except the databases' own (dumped instead) and the backup service's state; and the
/// configuration. -Target takes names, the groups "volumes", "databases", "configs", or wildcards.
/// </summary>
public static class BackupTargetResolver
{
    public static readonly IReadOnlyList<string> Groups = ["volumes", "databases", "configs"];

    public static IReadOnlyList<BackupTarget> All(StackDefinition stack)
    {
        var databases = stack.Services
            .Where(ServiceKinds.IsDatabase)
            .Select(s => (Service: s, Dialect: DatabaseDialects.For(ServiceKinds.Of(s))))
            .Where(d => d.Dialect is not null)
            .Select(d => BackupTarget.Database(d.Service.Name, d.Dialect!))
            .ToList();
        // The databases' own volumes are dumped instead; Kopia's state (config, cache, repository) is
        // not backed up into itself, but what it mounts under /sources is exactly what it backs up.
        var excluded = stack.Services
            .SelectMany(s => s.Volumes.Where(v => v.Type == "volume" && (ServiceKinds.IsDatabase(s)
                || (ServiceKinds.Is(s, "kopia") && !v.Target.StartsWith(BackupSettings.SourcesRoot + "/", StringComparison.Ordinal)))))
            .Select(v => v.Source!)
            .ToHashSet(StringComparer.Ordinal);
        var mounted = stack.Services.SelectMany(s => s.Volumes).Where(v => v.Type == "volume" && v.Source is { Length: > 0 }).Select(v => v.Source!).ToHashSet(StringComparer.Ordinal);
        var volumes = stack.Volumes
            .Where(v => mounted.Contains(v.Key) && !excluded.Contains(v.Key))
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => BackupTarget.Volume(v.Key, v.Name));
        return [.. volumes, .. databases.OrderBy(d => d.Name, StringComparer.Ordinal), BackupTarget.Configs()];
    }

    /// <summary>A service's own targets: its dump when it is a database, and the named volumes it mounts that are backed up.</summary>
    public static IReadOnlyList<BackupTarget> OfServices(StackDefinition stack, IEnumerable<string> services) => OfServices(stack, All(stack), services);

    /// <summary>The same, from the targets already resolved (a caller that asks for many services resolves them once).</summary>
    public static IReadOnlyList<BackupTarget> OfServices(StackDefinition stack, IReadOnlyList<BackupTarget> all, IEnumerable<string> services)
    {
        var names = services.ToHashSet(StringComparer.Ordinal);
        var volumes = stack.Services.Where(s => names.Contains(s.Name))
            .SelectMany(s => s.Volumes.Where(v => v.Type == "volume" && v.Source is { Length: > 0 }).Select(v => v.Source!))
            .ToHashSet(StringComparer.Ordinal);
        return all.Where(t => (t.Kind == BackupTarget.DatabaseKind && names.Contains(t.Name)) || (t.Kind == BackupTarget.VolumeKind && volumes.Contains(t.Name))).ToList();
    }

    /// <summary>The targets the given names select, in the stack's order; every name must select at least one.</summary>
    public static IReadOnlyList<BackupTarget> Select(StackDefinition stack, IReadOnlyList<string>? names)
    {
        var all = All(stack);
        if (names is null || names.Count == 0)
        {
            return all;
        }

        var selected = new HashSet<BackupTarget>();
        foreach (var name in names)
        {
            var matches = all.Where(t => Matches(t, name)).ToList();
            if (matches.Count == 0)
            {
                throw new DatamancyException(ErrorIds.BackupTargetNotFound, ErrorKind.ObjectNotFound,
                    $"'{name}' is not a backup target of {stack.ComposeFile}. Use volumes, databases, configs, or one of: {string.Join(", ", all.Select(t => t.Name))}.", name);
            }

            selected.UnionWith(matches);
        }

        return all.Where(selected.Contains).ToList();
    }

    private static bool Matches(BackupTarget target, string name) => name.ToLowerInvariant() switch
    {
        "volumes" => target.Kind == BackupTarget.VolumeKind,
        "databases" => target.Kind == BackupTarget.DatabaseKind,
        _ => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(name, target.Name, ignoreCase: false),
    };
}
