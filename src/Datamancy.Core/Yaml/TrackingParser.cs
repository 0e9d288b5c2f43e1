using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Datamancy.Yaml;

/// <summary>
/// YamlDotNet's parser, remembering what its errors leave out: which collections are open (to
/// point at the '[' never closed rather than at the end of the file), the first alias to an
/// anchor not defined before it, where the last event ended, and which lines lie inside quoted
/// or block scalars (where a tab is content, not indentation).
/// </summary>
internal sealed class TrackingParser(string text) : IParser
{
    private readonly Parser _inner = new(new StringReader(text));
    private readonly Stack<(Mark Start, char Opener)> _open = new();
    private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);
    private readonly List<(long From, long To)> _scalarLines = [];

    public ParsingEvent Current => _inner.Current!;

    /// <summary>Where the last event read ended (1-based line and column).</summary>
    public Mark LastEnd { get; private set; } = Mark.Empty;

    /// <summary>The innermost open flow collection ('[' or '{') and where it starts, or null.</summary>
    public (Mark Start, char Opener)? OpenFlow =>
        _open.FirstOrDefault(o => o.Opener != ' ') is { Opener: not '\0' } open ? open : null;

    /// <summary>Where the first alias to an anchor not defined before it stands, or null.</summary>
    public Mark? UnknownAlias { get; private set; }

    /// <summary>True for a line (1-based) after the first of a multi-line quoted or block scalar.</summary>
    public bool InsideScalar(long line) => _scalarLines.Any(s => line >= s.From && line <= s.To);

    public bool MoveNext()
    {
        if (!_inner.MoveNext())
        {
            return false;
        }

        var current = _inner.Current!;
        if (current is NodeEvent { Anchor.IsEmpty: false } anchored && current is not AnchorAlias)
        {
            _anchors.Add(anchored.Anchor.Value);
        }

        switch (current)
        {
            case SequenceStart sequence:
                _open.Push((sequence.Start, sequence.Style == SequenceStyle.Flow ? '[' : ' '));
                break;
            case MappingStart mapping:
                _open.Push((mapping.Start, mapping.Style == MappingStyle.Flow ? '{' : ' '));
                break;
            case SequenceEnd or MappingEnd when _open.Count > 0:
                _open.Pop();
                break;
            case Scalar scalar when scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) && scalar.End.Line > scalar.Start.Line:
                _scalarLines.Add((scalar.Start.Line + 1, scalar.End.Line));
                break;
            case AnchorAlias alias when UnknownAlias is null && !_anchors.Contains(alias.Value.Value):
                UnknownAlias = alias.Start;
                break;
        }

        LastEnd = current.End;
        return true;
    }
}
