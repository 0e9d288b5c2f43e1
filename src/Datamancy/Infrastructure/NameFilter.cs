using System.Management.Automation;

namespace Datamancy.Commands.Infrastructure;

/// <summary>-Name style filtering with wildcards; reports the exact names that matched nothing.</summary>
internal sealed class NameFilter
{
    private readonly (string Text, WildcardPattern Pattern)[] _patterns;

    public NameFilter(IEnumerable<string>? names) =>
        _patterns = (names ?? []).Select(n => (n, WildcardPattern.Get(n, WildcardOptions.IgnoreCase))).ToArray();

    public bool IsEmpty => _patterns.Length == 0;

    public bool Matches(string value) => IsEmpty || _patterns.Any(p => p.Pattern.IsMatch(value));

    /// <summary>The names without wildcards that match none of <paramref name="values"/>.</summary>
    public IEnumerable<string> Unmatched(IEnumerable<string> values)
    {
        var list = values.ToList();
        return _patterns.Where(p => !WildcardPattern.ContainsWildcardCharacters(p.Text) && !list.Any(p.Pattern.IsMatch)).Select(p => p.Text);
    }
}
