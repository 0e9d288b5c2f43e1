namespace Datamancy.Yaml;

/// <summary>
/// A YAML node with its source position, after aliases and merge keys are resolved and scalars
/// interpolated. The stack model reads these so every error can name file, line and column.
/// </summary>
public abstract class YNode
{
    protected YNode(SourceMark mark) => Mark = mark;

    public SourceMark Mark { get; }

    public abstract string KindName { get; }
}

public sealed class YScalar : YNode
{
    public YScalar(SourceMark mark, string value, bool isPlain) : base(mark)
    {
        Value = value;
        IsPlain = isPlain;
    }

    public string Value { get; }

    /// <summary>Unquoted in the source: only plain scalars can be null, booleans or numbers.</summary>
    public bool IsPlain { get; }

    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => "a scalar";
}

public sealed class YSequence : YNode
{
    public YSequence(SourceMark mark, IReadOnlyList<YNode> items) : base(mark) => Items = items;

    public IReadOnlyList<YNode> Items { get; }

    public override string KindName => "a list";
}

public sealed class YMapping : YNode
{
    private readonly Dictionary<string, YNode> _byKey;

    public YMapping(SourceMark mark, IReadOnlyList<KeyValuePair<YScalar, YNode>> entries) : base(mark)
    {
        Entries = entries;
        _byKey = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            _byKey[entry.Key.Value] = entry.Value;
        }
    }

    /// <summary>Entries in source order (merged keys after the mapping's own).</summary>
    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries { get; }

    public YNode? this[string key] => _byKey.TryGetValue(key, out var node) ? node : null;

    public override string KindName => "a mapping";
}
