using System.Text.Json;
using Datamancy.Files;

namespace Datamancy.Recovery;

/// <summary>
/// What a restore has made so far, kept in the new stack folder (.datamancy-restore.json) until it
/// finishes: a folder or project that holds it is a restore under way, which a second run goes on
/// with (skipping what is done), not a stack to refuse. Removed when the restore completes.
/// </summary>
public sealed class RecoveryProgress
{
    public const string FileName = ".datamancy-restore.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Project { get; set; } = string.Empty;

    public bool StackFolder { get; set; }

    public List<string> Volumes { get; set; } = [];

    public List<string> Databases { get; set; } = [];

    public static string PathIn(string folder) => System.IO.Path.Combine(folder, FileName);

    public static RecoveryProgress? Load(string folder)
    {
        var path = PathIn(folder);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<RecoveryProgress>(File.ReadAllText(path), Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(string folder) => PrivateFile.WriteAllText(PathIn(folder), JsonSerializer.Serialize(this, Options) + "\n");

    public static void Complete(string folder) => File.Delete(PathIn(folder));

    /// <summary>What was made, for the warning an interrupted restore leaves.</summary>
    public string Describe(string folder) =>
        $"the stack folder {folder}{(StackFolder ? " (restored)" : " (partly restored)")}" +
        (Volumes.Count > 0 ? $", the filled volumes {string.Join(", ", Volumes)}" : string.Empty) +
        (Databases.Count > 0 ? $", the loaded databases {string.Join(", ", Databases)}" : string.Empty);
}
