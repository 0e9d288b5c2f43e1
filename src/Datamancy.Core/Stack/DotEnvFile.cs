using System.Text;
using Datamancy.Errors;
using Datamancy.Yaml;

namespace Datamancy.Stack;

/// <summary>
/// Reads a Compose .env file: <c>KEY=value</c> lines, optional <c>export</c>, comments, single
/// quotes (literal), double quotes (escapes and interpolation), unquoted values (trimmed, inline
/// <c> #</c> comments, interpolation). Values may use variables from the process environment and
/// from earlier lines, as Compose's dotenv does.
/// </summary>
public static class DotEnvFile
{
    public static IReadOnlyDictionary<string, string> Parse(string file, string text, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var interpolator = new Interpolator(name => environment(name) ?? (values.TryGetValue(name, out var v) ? v : null));
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var mark = new SourceMark(file, index + 1, 1);
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                throw Syntax(mark, "expected KEY=VALUE");
            }

            var key = line[..equals].Trim();
            if (!IsName(key))
            {
                throw Syntax(mark, "a variable name takes letters, digits and '_' and does not start with a digit");
            }

            var raw = line[(equals + 1)..].TrimStart();
            string value;
            if (raw.StartsWith('\''))
            {
                value = Quoted(raw, '\'', mark);
            }
            else if (raw.StartsWith('"'))
            {
                var (body, consumed) = DoubleQuoted(lines, index, raw, mark);
                index += consumed;
                value = interpolator.Interpolate(body, mark);
            }
            else
            {
                var comment = raw.IndexOf(" #", StringComparison.Ordinal);
                value = interpolator.Interpolate((comment >= 0 ? raw[..comment] : raw).Trim(), mark);
            }

            values[key] = value;
        }

        return values;
    }

    private static string Quoted(string raw, char quote, SourceMark mark)
    {
        var close = raw.IndexOf(quote, 1);
        if (close < 0)
        {
            throw Syntax(mark, $"the value's opening {quote} is never closed");
        }

        return raw[1..close];
    }

    // A double-quoted value may span lines; returns the unescaped body and how many extra lines it took.
    private static (string Body, int ExtraLines) DoubleQuoted(string[] lines, int index, string raw, SourceMark mark)
    {
        var body = new StringBuilder();
        var text = raw[1..];
        var extra = 0;
        while (true)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\\' && i + 1 < text.Length)
                {
                    var next = text[++i];
                    body.Append(next switch { 'n' => "\n", 't' => "\t", 'r' => "\r", _ => next == '$' ? "$$" : next.ToString() });
                    continue;
                }

                if (c == '"')
                {
                    return (body.ToString(), extra);
                }

                body.Append(c);
            }

            extra++;
            if (index + extra >= lines.Length)
            {
                throw Syntax(mark, "the value's opening \" is never closed");
            }

            body.Append('\n');
            text = lines[index + extra];
        }
    }

    private static bool IsName(string key) =>
        key.Length > 0 && (key[0] == '_' || char.IsAsciiLetter(key[0])) && key.All(c => c == '_' || c == '.' || c == '-' || char.IsAsciiLetterOrDigit(c));

    private static DatamancyException Syntax(SourceMark mark, string reason) =>
        new(ErrorIds.EnvFileSyntax, ErrorKind.InvalidData, $"{mark}: {reason}.", mark.File);
}
