using System.Collections.ObjectModel;

namespace Datamancy;

/// <summary>A read-only map of names to counts that ConvertTo-Csv shows as "a=1, b=2" rather than its type name.</summary>
public sealed class CountMap : ReadOnlyDictionary<string, long>
{
    public CountMap(IReadOnlyDictionary<string, long> counts)
        : base(counts.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal))
    {
    }

    public override string ToString() => string.Join(", ", this.Select(p => $"{p.Key}={p.Value}"));
}
