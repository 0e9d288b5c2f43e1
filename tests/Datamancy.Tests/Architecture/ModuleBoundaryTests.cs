using System.Text.RegularExpressions;
using Datamancy.Errors;

namespace Datamancy.Tests.Architecture;

/// <summary>
/// Datamancy.Core's folders form layers: no folder uses one that uses it back, Errors uses
/// nothing, and the engine below uses none of the areas built on it. Folders and namespaces agree.
/// </summary>
public sealed partial class ModuleBoundaryTests
{
    private static readonly string CoreSource = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Datamancy.Core"));

    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Graph =
        CoreFolderGraph.Read(typeof(DatamancyException).Assembly);

    /// <summary>Cycles tolerated for now, as sorted folder lists ("A,B"). Must stay empty.</summary>
    private static readonly IReadOnlySet<string> AllowedCycles = new HashSet<string>();

    /// <summary>The areas built on the engine; the engine must not reach back into them.</summary>
    private static readonly string[] AboveEngine = ["Backup", "Checks", "Fingerprints", "Identity", "Security"];

    [Fact]
    public void The_graph_sees_known_uses()
    {
        // Guards the reader itself: an empty graph would pass every rule below.
        Assert.Contains("Stack", Graph["Security"].Keys);
        Assert.Contains("Errors", Graph["Stack"].Keys);
        Assert.Contains("Yaml", Graph["Stack"].Keys);
    }

    [Fact]
    public void No_cycle_between_core_folders()
    {
        var cycles = CoreFolderGraph.Cycles(Graph).Where(c => !AllowedCycles.Contains(string.Join(',', c))).ToList();
        Assert.True(cycles.Count == 0, "Cycles between Datamancy.Core folders:\n" + string.Join('\n', cycles.Select(Describe)));
    }

    [Fact]
    public void Errors_uses_no_other_folder()
    {
        var used = Graph.TryGetValue("Errors", out var edges) ? edges : new Dictionary<string, string>();
        Assert.True(used.Count == 0, string.Join('\n', used.Values));
    }

    [Fact]
    public void Engine_uses_none_of_the_areas_built_on_it()
    {
        var reached = Graph["Engine"].Where(e => AboveEngine.Contains(e.Key)).Select(e => e.Value).ToList();
        Assert.True(reached.Count == 0, string.Join('\n', reached));
    }

    [Fact]
    public void Every_core_file_declares_the_namespace_of_its_folder()
    {
        var mismatches = new List<string>();
        foreach (var file in Directory.EnumerateFiles(CoreSource, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(CoreSource, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }

            var folder = Path.GetDirectoryName(relative)!;
            var expected = folder.Length == 0 ? "Datamancy" : "Datamancy." + folder.Replace(Path.DirectorySeparatorChar, '.');
            var declared = NamespaceLine().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToList();
            if (declared.Count == 0 || declared.Any(n => n != expected))
            {
                mismatches.Add($"{relative}: namespace {string.Join(", ", declared)}, folder wants {expected}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    // Each folder of the cycle with the example of one use that closes it.
    private static string Describe(IReadOnlyList<string> cycle) =>
        string.Join(", ", cycle) + ": " + string.Join("; ", cycle.SelectMany(from =>
            Graph.TryGetValue(from, out var edges) ? edges.Where(e => cycle.Contains(e.Key)).Select(e => $"{from} -> {e.Key} ({e.Value})") : []));

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
