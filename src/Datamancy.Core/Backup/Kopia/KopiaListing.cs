using System.Globalization;
using System.Text.RegularExpressions;

namespace Datamancy.Backup.Kopia;

/// <summary>
/// Reads `kopia ls -l -r` (cli/command_ls.go). Kopia has no JSON listing: `kopia show` prints one
/// directory object's JSON, so a tree would cost one Kopia process (and one repository open) per
/// directory, while `ls -l -r` lists the whole tree in one. Each line is
/// fmt "%v %12s %v %-34v %v": Go's FileMode string, the exact size in bytes (no -h), the
/// modification time "2006-01-02 15:04:05 MST", the object id padded to 34 columns, then the path
/// relative to the snapshot root, "/" after a directory. The name is taken by column, so spaces in
/// it survive; a newline in a name continues on lines that do not have the shape of an entry.
/// </summary>
internal static partial class KopiaListing
{
    private const int ObjectIdColumnWidth = 34;

    [GeneratedRegex(@"^(?<mode>(?:-|[dalTLDpSugct?]+)[rwx-]{9}) +(?<size>\d+) \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+ (?<oid>\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex EntryLine();

    // fatih/color only colours a terminal; a runner with a TTY would still get escapes.
    [GeneratedRegex(@"\x1b\[[0-9;]*m", RegexOptions.CultureInvariant)]
    private static partial Regex ColourEscape();

    public static IReadOnlyList<SnapshotEntry> Parse(string stdout)
    {
        var entries = new List<(string Type, long Size, string Name)>();
        var lines = ColourEscape().Replace(stdout, "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 && i == lines.Length - 1)
            {
                break;
            }

            if (TryParseLine(line) is { } entry)
            {
                entries.Add(entry);
            }
            else if (entries.Count > 0)
            {
                var last = entries[^1];
                entries[^1] = last with { Name = last.Name + "\n" + line };
            }
            else
            {
                throw new FormatException($"unexpected first line from 'kopia ls -l -r': '{(line.Length > 120 ? line[..120] : line)}'.");
            }
        }

        return entries.Select(e => new SnapshotEntry(e.Type == "dir" && e.Name.EndsWith('/') ? e.Name[..^1] : e.Name, e.Type, e.Size)).ToList();
    }

    private static (string Type, long Size, string Name)? TryParseLine(string line)
    {
        var match = EntryLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var oid = match.Groups["oid"];
        var nameStart = oid.Index + Math.Max(ObjectIdColumnWidth, oid.Length) + 1;
        if (line.Length <= nameStart || line.AsSpan(oid.Index + oid.Length, nameStart - oid.Index - oid.Length).ContainsAnyExcept(' '))
        {
            return null;
        }

        var mode = match.Groups["mode"].Value;
        var typeLetters = mode[..^9];
        var type = typeLetters.Contains('d') ? "dir" : typeLetters.Contains('L') ? "symlink" : "file";
        return (type, long.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture), line[nameStart..]);
    }
}
