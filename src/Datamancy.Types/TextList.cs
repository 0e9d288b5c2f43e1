using System.Collections.ObjectModel;

namespace Datamancy;

/// <summary>
/// The read-only list of strings that output properties use instead of string[]: ConvertTo-Csv and
/// Export-Csv write a property with ToString, which shows an array as "System.String[]", and this
/// list as its items ("a, b"). In a pipeline it stays a list: it enumerates, counts, indexes, works
/// with -contains and -join, and binds to string[] parameters.
/// </summary>
public sealed class TextList : ReadOnlyCollection<string>
{
    private readonly string _separator;

    /// <param name="separator">", " for names; "; " for items that are sentences and may hold commas.</param>
    public TextList(IEnumerable<string> items, string separator = ", ")
        : base([.. items]) =>
        _separator = separator;

    public override string ToString() => string.Join(_separator, this);
}
