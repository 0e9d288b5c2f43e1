using System.Globalization;
using Datamancy.Errors;

namespace Datamancy.Backup;

/// <summary>The regular files under a restored path, with their sizes, as the tool container sees them, and how they differ from a snapshot's listing.</summary>
public static class RestoredFiles
{
    public static async Task<IReadOnlyDictionary<string, long>> ListAsync(IToolRunner runner, string root, CancellationToken cancellationToken)
    {
        // One "size path" line per file (a name holding a newline would be reported as a difference); stat -c works in busybox and coreutils.
        var result = await runner.RunAsync(new ToolInvocation(["find", root, "-type", "f", "-exec", "stat", "-c", "%s %n", "{}", "+"], new Dictionary<string, string>()),
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DatamancyException(ErrorIds.BackupVerifyFailed, ErrorKind.InvalidOperation, $"Listing the restored files under {root} failed: {result.StandardError.Trim()}");
        }

        var prefix = root.TrimEnd('/') + "/";
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ');
            var path = line[(space + 1)..];
            files[path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path] = long.Parse(line[..space], CultureInfo.InvariantCulture);
        }

        return files;
    }

    public static IReadOnlyList<string> Compare(IReadOnlyList<SnapshotEntry> expected, IReadOnlyDictionary<string, long> restored)
    {
        var differences = new List<string>();
        foreach (var entry in expected)
        {
            if (!restored.TryGetValue(entry.Path, out var size))
            {
                differences.Add($"{entry.Path} was not restored");
            }
            else if (size != entry.Size)
            {
                differences.Add($"{entry.Path} has {size} bytes, {entry.Size} in the snapshot");
            }
        }

        var names = expected.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        differences.AddRange(restored.Keys.Where(p => !names.Contains(p)).Select(p => $"{p} is not in the snapshot"));
        return differences;
    }
}
