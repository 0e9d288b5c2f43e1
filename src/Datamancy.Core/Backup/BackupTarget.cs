using Datamancy.Backup.Databases;

namespace Datamancy.Backup;

/// <summary>What can be backed up: a named volume (by its key in the compose file), a database service (as a dump) or the stack's configuration.</summary>
public sealed record BackupTarget(string Name, string Kind, string SourcePath, string? VolumeName = null, IDatabaseDialect? Dialect = null)
{
    public const string VolumeKind = "Volume";
    public const string DatabaseKind = "Database";
    public const string ConfigsKind = "Configs";

    public const string ConfigsName = "configs";

    public static BackupTarget Volume(string key, string volumeName) => new(key, VolumeKind, BackupSettings.VolumePath(key), volumeName);

    public static BackupTarget Database(string service, IDatabaseDialect dialect) => new(service, DatabaseKind, BackupSettings.DatabasePath(service), null, dialect);

    public static BackupTarget Configs() => new(ConfigsName, ConfigsKind, BackupSettings.ConfigsPath);

    /// <summary>The file a dump is stored as in its snapshot.</summary>
    public string DumpFile => Dialect?.DumpFileName(Name) ?? string.Empty;
}
