using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Datamancy.Yaml;

namespace Datamancy.Backup;

/// <summary>
/// Reads x-datamancy-backup from the stack:
/// <code>
/// x-datamancy-backup:
///   engine: kopia | restic
///   service: kopia              # kopia: the service whose image and state volumes the tool container uses
///   image: restic/restic:0.17.3 # restic: an image with restic in it
///   repository: ./data/backups/restic   # restic: a folder (relative to the stack) or a restic URL
///   password: RESTIC_REPOSITORY_PASSWORD # the .env variable with the repository password
/// </code>
/// Without the block the stack is backed up by Kopia through its kopia service. Errors point at
/// the compose file's line and column.
/// </summary>
public static class BackupSettingsReader
{
    public const string Key = "x-datamancy-backup";

    private static readonly string[] Keys = ["engine", "service", "image", "repository", "password"];
    private static readonly string[] RemoteSchemes = ["s3:", "rest:", "sftp:", "b2:", "azure:", "gs:", "swift:", "rclone:"];

    public static BackupSettings Read(StackDefinition stack)
    {
        var block = stack.Extensions.TryGetValue(Key, out var node) ? NodeReader.Mapping(node, Key) : null;
        foreach (var (key, _) in block?.Entries ?? [])
        {
            if (!Keys.Contains(key.Value))
            {
                throw new DatamancyException(ErrorIds.UnknownKey, ErrorKind.InvalidData,
                    $"{key.Mark}: unknown key '{key.Value}' in {Key}; the keys are: {string.Join(", ", Keys)}.", key.Value);
            }
        }

        var engine = Optional(block, "engine") ?? BackupSettings.Kopia;
        return engine switch
        {
            BackupSettings.Kopia => Kopia(stack, block),
            BackupSettings.Restic => Restic(stack, block!),
            _ => throw Invalid(block!["engine"]!, "engine", "kopia or restic"),
        };
    }

    private static BackupSettings Kopia(StackDefinition stack, YMapping? block)
    {
        var name = Optional(block, "service") ?? "kopia";
        var service = stack.FindService(name) ?? throw new DatamancyException(ErrorIds.ServiceNotFound, ErrorKind.ObjectNotFound,
            $"{block?.Mark.ToString() ?? stack.ComposeFile}: {Key} backs up with Kopia through the service '{name}', which the stack does not define; add it or name another with 'service:'.", name);
        var image = Optional(block, "image") ?? service.Image ?? throw Missing(block, stack, "image");

        // The kopia service's own state (config, cache, logs, repository) is mounted writable; what it
        // backs up (/sources/...) is mounted by each call, read-only.
        var mounts = service.Volumes
            .Where(v => v.Type == "volume" && v.Source is { Length: > 0 } && !v.Target.StartsWith(BackupSettings.SourcesRoot + "/", StringComparison.Ordinal))
            .Select(v => ToolMount.Volume(stack.Volumes.Single(d => d.Key == v.Source).Name, v.Target, false))
            .ToList();
        var repository = mounts.FirstOrDefault(m => m.Target.Contains("repository", StringComparison.Ordinal))?.Target ?? "/repository";
        return new BackupSettings(BackupSettings.Kopia, image, repository, mounts, false, Optional(block, "password") ?? "KOPIA_REPOSITORY_PASSWORD", null);
    }

    private static BackupSettings Restic(StackDefinition stack, YMapping block)
    {
        var image = Optional(block, "image") ?? throw Missing(block, stack, "image");
        var repository = Optional(block, "repository") ?? throw Missing(block, stack, "repository");
        var password = Optional(block, "password") ?? "RESTIC_REPOSITORY_PASSWORD";
        return ForRestic(image, repository, password, stack.Directory);
    }

    /// <summary>restic settings for a repository given as a folder (relative to <paramref name="baseDirectory"/>) or a restic URL.</summary>
    public static BackupSettings ForRestic(string image, string repository, string passwordVariable, string baseDirectory)
    {
        if (RemoteSchemes.Any(s => repository.StartsWith(s, StringComparison.Ordinal)))
        {
            return new BackupSettings(BackupSettings.Restic, image, repository, [], true, passwordVariable, null);
        }

        // A local repository is mounted into the tool container at the same path as on the host.
        var hostPath = Path.GetFullPath(repository, baseDirectory);
        return new BackupSettings(BackupSettings.Restic, image, hostPath, [ToolMount.Bind(hostPath, hostPath, false)], false, passwordVariable, hostPath);
    }

    private static string? Optional(YMapping? block, string key) => NodeReader.OptionalString(block?[key], $"{Key}.{key}");

    private static DatamancyException Missing(YMapping? block, StackDefinition stack, string key) =>
        new(ErrorIds.InvalidValue, ErrorKind.InvalidData,
            $"{block?.Mark.ToString() ?? stack.ComposeFile}: {Key} needs '{key}' for this engine.", $"{Key}.{key}");

    private static DatamancyException Invalid(YNode node, string key, string expected) =>
        NodeReader.Invalid(node, $"{Key}.{key}", expected);
}
