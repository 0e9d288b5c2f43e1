using Datamancy.Backup.Kopia;
using Datamancy.Backup.Restic;
using Datamancy.Engine;
using Datamancy.Stack.Model;
using Datamancy.Reporting;

namespace Datamancy.Backup;

/// <summary>What every backup operation of one cmdlet call shares: the engine, the stack, its backup settings and the repository password.</summary>
public sealed class BackupSession(IDockerEngine docker, StackDefinition stack, BackupSettings settings, string password, IReporter reporter)
{
    public IDockerEngine Docker => docker;

    public StackDefinition Stack => stack;

    public BackupSettings Settings => settings;

    public IReporter Reporter => reporter;

    /// <summary>A tool container with the repository mounted, plus <paramref name="mounts"/>.</summary>
    public ToolContainer NewToolContainer(IEnumerable<ToolMount> mounts)
    {
        if (settings.RepositoryHostPath is { } hostPath)
        {
            System.IO.Directory.CreateDirectory(hostPath);
        }

        return new ToolContainer(docker, settings.Image, stack.ProjectName, [.. settings.RepositoryMounts, .. mounts], settings.NeedsNetwork);
    }

    public IBackupEngine EngineFor(IToolRunner runner) => settings.Engine switch
    {
        BackupSettings.Restic => new ResticEngine(runner, "restic", ResticEnvironment(settings, password), stack.ProjectName),
        _ => new KopiaEngine(runner, "kopia", KopiaEnvironment(), settings.Repository),
    };

    /// <summary>What restic reads its repository and password from; the password never reaches a command line.</summary>
    public static Dictionary<string, string> ResticEnvironment(BackupSettings settings, string password) => new(StringComparer.Ordinal)
    {
        ["RESTIC_REPOSITORY"] = settings.Repository,
        ["RESTIC_PASSWORD"] = password,
    };

    /// <summary>The module's tags for a snapshot of <paramref name="target"/>.</summary>
    public Dictionary<string, string> Tags(BackupTarget target) => new(StringComparer.Ordinal)
    {
        [BackupTags.Project] = stack.ProjectName,
        [BackupTags.Target] = target.Name,
        [BackupTags.Kind] = target.Kind,
    };

    /// <summary>The snapshots of this stack, by target, oldest first.</summary>
    public static ILookup<string, SnapshotRecord> ByTarget(IEnumerable<SnapshotRecord> snapshots, string project) =>
        snapshots.Where(s => s.Tags.TryGetValue(BackupTags.Project, out var p) && p == project && s.Tags.ContainsKey(BackupTags.Target))
            .OrderBy(s => s.Time)
            .ToLookup(s => s.Tags[BackupTags.Target], StringComparer.Ordinal);

    private Dictionary<string, string> KopiaEnvironment()
    {
        var environment = new Dictionary<string, string> { ["KOPIA_PASSWORD"] = password };
        if (settings.RepositoryMounts.FirstOrDefault(m => m.Target.EndsWith("/config", StringComparison.Ordinal)) is { } config)
        {
            environment["KOPIA_CONFIG_PATH"] = config.Target + "/repository.config";
        }

        if (settings.RepositoryMounts.FirstOrDefault(m => m.Target.EndsWith("/cache", StringComparison.Ordinal)) is { } cache)
        {
            environment["KOPIA_CACHE_DIRECTORY"] = cache.Target;
        }

        if (settings.RepositoryMounts.FirstOrDefault(m => m.Target.EndsWith("/logs", StringComparison.Ordinal)) is { } logs)
        {
            environment["KOPIA_LOG_DIR"] = logs.Target;
        }

        return environment;
    }
}
