using System.Text.RegularExpressions;

namespace Datamancy.Security;

/// <summary>
/// Finds and rewrites single assignments of a .env file, keeping every other line (comments,
/// order, line endings) as it was. Compose's dotenv lets the last assignment of a name win, so
/// that is the one located and replaced.
/// </summary>
public static partial class EnvFileEditor
{
    /// <summary>The last assignment of each name: its first line (0-based) and how many lines its value spans.</summary>
    public static IReadOnlyDictionary<string, EnvAssignment> Locate(string text)
    {
        var lines = SplitLines(text);
        var found = new Dictionary<string, EnvAssignment>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var match = AssignmentLine().Match(lines[i].TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var span = Span(lines, i, match.Groups[3].Value);
            found[match.Groups[2].Value] = new EnvAssignment(match.Groups[2].Value, i, span);
            i += span - 1;
        }

        return found;
    }

    /// <summary>The text with NAME's last assignment replaced by NAME=value (appended when absent). The value must need no quoting.</summary>
    public static string Set(string text, string name, string value)
    {
        var lines = SplitLines(text);
        var ending = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        if (!Locate(text).TryGetValue(name, out var assignment))
        {
            var prefix = text.Length == 0 || text.EndsWith('\n') ? text : text + ending;
            return prefix + name + "=" + value + ending;
        }

        var first = lines[assignment.Line];
        var export = AssignmentLine().Match(first.TrimEnd('\r')).Groups[1].Value;
        var replaced = lines.Take(assignment.Line)
            .Append($"{export}{name}={value}{(first.EndsWith('\r') ? "\r" : string.Empty)}")
            .Concat(lines.Skip(assignment.Line + assignment.LineCount));
        return string.Join('\n', replaced);
    }

    // Lines split on '\n' only, so '\r' stays with its line and joining with '\n' gives the text back.
    private static List<string> SplitLines(string text) => [.. text.Split('\n')];

    // A double-quoted value runs until its closing quote, possibly on a later line.
    private static int Span(List<string> lines, int index, string value)
    {
        var trimmed = value.TrimStart();
        if (!trimmed.StartsWith('"') || ClosesQuote(trimmed[1..]))
        {
            return 1;
        }

        for (var next = index + 1; next < lines.Count; next++)
        {
            if (ClosesQuote(lines[next]))
            {
                return next - index + 1;
            }
        }

        return 1;
    }

    private static bool ClosesQuote(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^\s*(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$")]
    private static partial Regex AssignmentLine();
}

/// <summary>Where a variable is assigned in a .env file: its first line (0-based) and the lines its value spans.</summary>
public sealed record EnvAssignment(string Name, int Line, int LineCount);
