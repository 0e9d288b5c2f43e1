namespace Datamancy.Backup;

/// <summary>
/// How the stack is backed up, from the compose file's x-datamancy-backup block: which engine, the
/// image its tool container runs, the mounts that give it its repository, the repository as the
/// tool sees it, and the .env variable that holds the repository password.
/// </summary>
public sealed record BackupSettings(
    string Engine,
    string Image,
    string Repository,
    IReadOnlyList<ToolMount> RepositoryMounts,
    bool NeedsNetwork,
    string PasswordVariable,
    string? RepositoryHostPath)
{
    public const string Restic = "restic";
    public const string Kopia = "kopia";

    /// <summary>Where the tool container sees the stack's sources.</summary>
    public const string SourcesRoot = "/sources";

    public static string VolumePath(string volume) => $"{SourcesRoot}/volumes/{volume}";

    public static string DatabasePath(string service) => $"{SourcesRoot}/db/{service}";

    public const string ConfigsPath = SourcesRoot + "/configs";
}
