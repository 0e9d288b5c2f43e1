namespace Datamancy.Backup;

/// <summary>
/// A mount of the tool container: a named volume, a host folder (bind), or a tmpfs: empty to hide a
/// path, or sized as scratch in memory (<paramref name="SizeBytes"/> caps it; 0 is the engine's default).
/// </summary>
public sealed record ToolMount(string Type, string Source, string Target, bool ReadOnly, long SizeBytes = 0)
{
    public static ToolMount Volume(string name, string target, bool readOnly) => new("volume", name, target, readOnly);

    public static ToolMount Bind(string hostPath, string target, bool readOnly) => new("bind", hostPath, target, readOnly);

    public static ToolMount Hide(string target) => new("tmpfs", string.Empty, target, false);

    public static ToolMount Memory(string target, long sizeBytes) => new("tmpfs", string.Empty, target, false, sizeBytes);
}
