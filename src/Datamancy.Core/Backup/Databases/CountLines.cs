using System.Globalization;
using Datamancy.Errors;
using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>
/// Parses what every dialect's CountCommand prints: one "&lt;name&gt;\t&lt;rows&gt;" line per table.
/// Names are kept as the server's client printed them (its own escaping of tabs, newlines and
/// backslashes), so a dump and its restore compare name for name.
/// </summary>
internal static class CountLines
{
    public static IReadOnlyDictionary<string, long> Parse(string output, ServerKind kind)
    {
        ArgumentNullException.ThrowIfNull(output);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var lines = output.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            // The last tab: the count is never escaped, a name may hold a tab in some clients' output.
            var tab = line.LastIndexOf('\t');
            if (tab <= 0 || !long.TryParse(line.AsSpan(tab + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var rows))
            {
                throw Invalid(kind, $"line {i + 1} is not '<name><TAB><row count>': '{Excerpt(line)}'");
            }

            if (!counts.TryAdd(line[..tab], rows))
            {
                throw Invalid(kind, $"line {i + 1} counts '{Excerpt(line[..tab])}' a second time");
            }
        }

        return counts;
    }

    private static DatamancyException Invalid(ServerKind kind, string what) =>
        new(ErrorIds.BackupCountsInvalid, ErrorKind.InvalidData, $"The {kind} row counts could not be read: {what}.", kind);

    private static string Excerpt(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
