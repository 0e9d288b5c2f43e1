namespace Datamancy.Backup.Restic;

/// <summary>restic's own error lines, shortened for a message: the Fatal line first, progress and blank lines dropped.</summary>
internal static class ResticMessages
{
    public static string Summarize(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('{') && !l.StartsWith('[') && !l.StartsWith("using temporary cache", StringComparison.Ordinal))
            .ToList();
        var ordered = lines.Where(l => l.StartsWith("Fatal", StringComparison.Ordinal)).Concat(lines.Where(l => !l.StartsWith("Fatal", StringComparison.Ordinal)));
        var summary = string.Join(" ", ordered.Take(6));
        return summary.Length == 0 ? "no message" : summary.Length > 1500 ? summary[..1500] + " ..." : summary;
    }
}
