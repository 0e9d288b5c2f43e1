namespace Datamancy.Backup;

/// <summary>A mount of the tool container: a named volume, a host folder (bind) or an empty tmpfs that hides a path.</summary>
public sealed record ToolMount(string Type, string Source, string Target, bool ReadOnly)
{
    public static ToolMount Volume(string name, string target, bool readOnly) => new("volume", name, target, readOnly);

    public static ToolMount Bind(string hostPath, string target, bool readOnly) => new("bind", hostPath, target, readOnly);

    public static ToolMount Hide(string target) => new("tmpfs", string.Empty, target, false);
}
