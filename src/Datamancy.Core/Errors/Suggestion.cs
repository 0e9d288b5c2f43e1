namespace Datamancy.Errors;

/// <summary>
/// The "did you mean" of an error message: the valid name closest to a mistyped one, by
/// Damerau-Levenshtein distance (a swapped pair of letters counts once, as in "restrat"), or the
/// one valid name the input starts ("obs" for observability).
/// </summary>
public static class Suggestion
{
    /// <summary>The closest candidate, or null when none is close enough to be a likely typo.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        var typed = input.ToLowerInvariant();
        var names = candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var allowed = typed.Length switch
        {
            <= 3 => 1,
            <= 6 => 2,
            _ => 3,
        };
        var best = names
            .Select(name => (Name: name, Distance: Distance(typed, name.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed && c.Distance < c.Name.Length)
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        if (best.Name is not null)
        {
            return best.Name;
        }

        var extended = typed.Length >= 2 ? names.Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).Take(2).ToList() : [];
        return extended.Count == 1 ? extended[0] : null;
    }

    /// <summary>Ends a sentence about a wrong name: "; did you mean 'x'?" when a candidate is close, else ".".</summary>
    public static string EndOfSentence(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } closest ? $"; did you mean '{closest}'?" : ".";

    // Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
