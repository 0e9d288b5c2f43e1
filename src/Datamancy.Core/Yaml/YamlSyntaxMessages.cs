using System.Text.RegularExpressions;
using Datamancy.Errors;
using YamlDotNet.Core;

namespace Datamancy.Yaml;

/// <summary>
/// Says what YamlDotNet's parser errors mean, in the module's words, at file:line:column. Its own
/// wording ("While scanning a plain scalar value, found invalid mapping.") names parser states,
/// not what to fix, so the common ones are mapped to a sentence and the rest keep only their finding.
/// </summary>
internal static partial class YamlSyntaxMessages
{
    /// <param name="error">A YamlException, or the InvalidOperationException YamlDotNet's scanner throws at the end of an unclosed flow list.</param>
    public static DatamancyException Translate(string file, string text, Exception error, TrackingParser parser)
    {
        var at = error is YamlException yaml ? yaml.Start : parser.LastEnd;
        var raw = error is YamlException ? StateAndCoordinates().Replace(error.Message, string.Empty).Trim().TrimEnd('.') : string.Empty;
        // YamlDotNet puts a tab error at the start of the enclosing mapping, not at the tab.
        if (raw.Contains("tab", StringComparison.OrdinalIgnoreCase) && TabIndentation.Find(text, parser.InsideScalar) is { } tab)
        {
            return TabIndentation.Error(file, tab);
        }

        // And an unknown alias at the start of the document, once it has read all of it.
        if (error is AnchorNotFoundException && parser.UnknownAlias is { } alias)
        {
            at = alias;
        }

        var mark = new SourceMark(file, Math.Max(at.Line, 1), Math.Max(at.Column, 1));
        string reason;
        if (parser.OpenFlow is { } open && (error is InvalidOperationException || raw.Contains("flow", StringComparison.Ordinal)))
        {
            mark = new SourceMark(file, open.Start.Line, open.Start.Column);
            reason = open.Opener == '['
                ? "the list opened here with '[' is not closed with ']' (or two of its items lack a ',' between them)"
                : "the mapping opened here with '{' is not closed with '}' (or two of its entries lack a ',' between them)";
        }
        else
        {
            reason = Reason(error, raw, CharacterAt(text, mark));
        }

        return new DatamancyException(ErrorIds.YamlSyntax, ErrorKind.InvalidData, $"{mark}: YAML syntax error: {reason}.", file, error);
    }

    private static string Reason(Exception error, string raw, char? character)
    {
        if (error is AnchorNotFoundException && AnchorName().Match(raw) is { Success: true } anchor)
        {
            return $"the alias '*{anchor.Groups[1].Value}' refers to no anchor; define '&{anchor.Groups[1].Value}' on a value above it, or fix the name";
        }

        if (DuplicateKey().Match(raw) is { Success: true } duplicate)
        {
            return $"duplicate key '{duplicate.Groups[1].Value}' (each key may appear once per mapping); keep one";
        }

        var finding = Finding().Match(raw) is { Success: true } m ? m.Groups[1].Value : raw;
        return finding switch
        {
            _ when finding.Contains("found invalid mapping", StringComparison.Ordinal) || finding.Contains("mapping values are not allowed", StringComparison.Ordinal) =>
                "a 'key:' is not expected here: the line above may lack the ':' after its key, this line may be indented too far, or a value that holds ': ' needs quotes",
            _ when raw.StartsWith("While parsing a block mapping", StringComparison.Ordinal) =>
                "this line does not line up with the keys above it; the keys of one mapping start in the same column",
            _ when raw.StartsWith("While parsing a block collection", StringComparison.Ordinal) =>
                "a list item is expected here; the items of one list each start with '- ' in the same column",
            _ when finding.Contains("unexpected end of stream", StringComparison.Ordinal) && raw.Contains("quoted scalar", StringComparison.Ordinal) =>
                "the quoted string that starts here is never closed; add its closing quote",
            _ when finding.Contains("unknown escape character", StringComparison.Ordinal) =>
                "a double-quoted string holds an unknown escape sequence; write '\\\\' for a backslash, or use single quotes",
            _ when finding.Contains("cannot start any token", StringComparison.Ordinal) =>
                $"{(character is { } c ? $"the character '{c}'" : "this character")} cannot start a value; put the value in quotes",
            _ when finding.Contains("did not find expected node content", StringComparison.Ordinal) =>
                "a value is missing here (an empty item between two commas, or a stray ']' or '}')",
            _ when finding.Contains("could not find expected ':'", StringComparison.Ordinal) =>
                "a key is missing its ':' (a key and its value are written 'key: value')",
            _ when raw.StartsWith("While scanning an anchor or alias", StringComparison.Ordinal) =>
                "an anchor ('&') or alias ('*') needs a name of letters, digits, '-' or '_'",
            _ => finding.Length > 0 ? char.ToLowerInvariant(finding[0]) + finding[1..] : "the parser stopped here",
        };
    }

    private static char? CharacterAt(string text, SourceMark mark)
    {
        var lines = text.Split('\n');
        return mark.Line <= lines.Length && mark.Column <= lines[mark.Line - 1].Length ? lines[mark.Line - 1][(int)mark.Column - 1] : null;
    }

    // YamlDotNet prefixes some messages with "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): ".
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex StateAndCoordinates();

    // "While <parser state>, <finding>": the finding is the part that describes the file.
    [GeneratedRegex(@"^While [^,]+,\s*(.+)$")]
    private static partial Regex Finding();

    [GeneratedRegex(@"^Duplicate key (.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex DuplicateKey();

    [GeneratedRegex(@"anchor '([^']*)'")]
    private static partial Regex AnchorName();
}
