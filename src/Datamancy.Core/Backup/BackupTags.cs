namespace Datamancy.Backup;

/// <summary>The keys of the tags the module puts on every snapshot: what it is, and what the drill checks it against.</summary>
public static class BackupTags
{
    public const string Project = "datamancy.project";
    public const string Target = "datamancy.target";
    public const string Kind = "datamancy.kind";
    /// <summary>Row counts of the dumped tables, taken just before the dump (base64url of "table\tcount" lines).</summary>
    public const string Rows = "datamancy.rows";

    /// <summary>The image of the database container the dump came from, for the drill's throwaway container.</summary>
    public const string Image = "datamancy.image";
}
