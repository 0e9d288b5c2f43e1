using System.Text;

namespace Datamancy.Backup;

/// <summary>Row counts as a tag value: base64url of "table\tcount" lines, so any table name survives any engine's tag syntax.</summary>
public static class RowCounts
{
    public static string Encode(IReadOnlyDictionary<string, long> rows) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join("\n", rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}\t{r.Value}"))))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static IReadOnlyDictionary<string, long> Decode(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.LastIndexOf('\t');
            rows[line[..tab]] = long.Parse(line[(tab + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }

        return rows;
    }

    /// <summary>How the counts after a restore differ from those at dump time; empty when they match.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, long> expected, IReadOnlyDictionary<string, long> actual)
    {
        var differences = new List<string>();
        foreach (var (table, rows) in expected)
        {
            if (!actual.TryGetValue(table, out var restored))
            {
                differences.Add($"{table} is missing ({rows} rows at dump time)");
            }
            else if (restored != rows)
            {
                differences.Add($"{table} has {restored} rows, {rows} at dump time");
            }
        }

        differences.AddRange(actual.Keys.Where(t => !expected.ContainsKey(t)).Select(t => $"{t} was not in the source at dump time"));
        return differences;
    }
}
