namespace Datamancy.Backup;

/// <summary>
/// The files of the stack folder that hold secrets: .env and its backups (.env.&lt;time&gt;.bak), and
/// private keys (the wildcard certificate's key, any *.key). The configs target leaves them out
/// unless the backup policy includes secrets; they then go only into the encrypted repository.
/// </summary>
public static class StackFolderSecrets
{
    /// <summary>File-name patterns, matched at any depth (restic --exclude, Kopia ignore rules).</summary>
    public static readonly IReadOnlyList<string> Patterns = [".env", ".env.*.bak", "*.key"];

    /// <summary>What the configs target excludes under <paramref name="policy"/>: the patterns, or nothing.</summary>
    public static IReadOnlyList<string> Excludes(BackupPolicy policy) => policy.IncludeSecrets ? [] : Patterns;
}
