using System.Text;
using Datamancy.Errors;
using Datamancy.Yaml;

namespace Datamancy.Stack;

/// <summary>
/// Compose's variable interpolation, with compose-go's semantics: <c>$$</c>, <c>$VAR</c>,
/// <c>${VAR}</c>, <c>:-</c>, <c>-</c>, <c>:?</c>, <c>?</c>, <c>:+</c>, <c>+</c>, nesting. As in
/// compose-go the default, replacement and error text are interpolated before the variable is
/// looked at, an unset variable without a default becomes "" with a warning, and a <c>$</c> that
/// starts nothing valid is an error.
/// </summary>
public sealed class Interpolator
{
    private readonly Func<string, string?> _lookup;
    private readonly Action<string>? _warn;

    /// <param name="lookup">The value of a variable, or null when it is unset.</param>
    /// <param name="warn">Receives a warning for each unset variable used without a default.</param>
    public Interpolator(Func<string, string?> lookup, Action<string>? warn = null)
    {
        _lookup = lookup;
        _warn = warn;
    }

    public string Interpolate(string template, SourceMark mark)
    {
        if (template.IndexOf('$') < 0)
        {
            return template;
        }

        var output = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c != '$')
            {
                output.Append(c);
                i++;
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '$')
            {
                output.Append('$');
                i += 2;
                continue;
            }

            if (i + 1 < template.Length && IsNameStart(template[i + 1]))
            {
                var end = NameEnd(template, i + 1);
                output.Append(Lookup(template[(i + 1)..end], mark));
                i = end;
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                var close = ClosingBrace(template, i);
                if (close < 0)
                {
                    throw Invalid(mark, "a '${' is never closed with '}'");
                }

                output.Append(Braced(template, template[(i + 2)..close], mark));
                i = close + 1;
                continue;
            }

            throw Invalid(mark, "a '$' must start a variable ($NAME or ${NAME}); write '$$' for a literal '$'");
        }

        return output.ToString();
    }

    private string Braced(string template, string inner, SourceMark mark)
    {
        if (inner.Length == 0 || !IsNameStart(inner[0]))
        {
            throw Invalid(mark, "'${' must be followed by a variable name");
        }

        var nameEnd = NameEnd(inner, 0);
        var name = inner[..nameEnd];
        var rest = inner[nameEnd..];
        if (rest.Length == 0)
        {
            return Lookup(name, mark);
        }

        var colon = rest[0] == ':';
        var opIndex = colon ? 1 : 0;
        if (opIndex >= rest.Length || rest[opIndex] is not ('-' or '?' or '+'))
        {
            throw Invalid(mark, $"the variable {name} is followed by '{rest[0]}', which starts no supported operator (:- - :? ? :+ +)");
        }

        var op = rest[opIndex];
        var argument = Interpolate(rest[(opIndex + 1)..], mark);
        var value = _lookup(name);
        var isSet = value is not null;
        var hasContent = !string.IsNullOrEmpty(value);
        switch (op)
        {
            case '-':
                return (colon ? hasContent : isSet) ? value! : argument;
            case '+':
                return (colon ? hasContent : isSet) ? argument : value ?? string.Empty;
            default:
                if (colon ? hasContent : isSet)
                {
                    return value!;
                }

                throw Required(mark, name, isSet ? "empty" : "not set", rest[(opIndex + 1)..], argument);
        }
    }

    private string Lookup(string name, SourceMark mark)
    {
        var value = _lookup(name);
        if (value is null)
        {
            _warn?.Invoke($"{mark}: the variable {name} is not set; it defaults to an empty string.");
        }

        return value ?? string.Empty;
    }

    // A secret gets the module's own fix. Another variable gets the compose file's error text when
    // it adds to ours ("X is not set" would say it twice) and holds no variable, whose value could be a secret.
    private static DatamancyException Required(SourceMark mark, string name, string state, string rawText, string text)
    {
        string message;
        if (SecretGenerator.IsSecretName(name))
        {
            var directory = Path.GetDirectoryName(mark.File);
            var command = string.IsNullOrEmpty(directory) ? "New-DatamancyStack -Force" : $"New-DatamancyStack -Path '{directory}' -Force";
            message = $"{mark}: the secret {name} is {state}. Run {command} to generate the missing secrets into .env: it keeps every value .env already has, and rewrites the bundled config files in that folder. Or set {name} in .env yourself.";
        }
        else
        {
            var said = text.Trim().TrimEnd('.');
            var quoted = said.Length == 0 || rawText.Contains('$') || said.Contains(name, StringComparison.Ordinal) ? string.Empty : $" (the compose file says: {said})";
            message = $"{mark}: the variable {name} is {state}{quoted}. Set {name} in the stack's .env or in the environment.";
        }

        return new DatamancyException(ErrorIds.VariableRequired, ErrorKind.InvalidData, message, name);
    }

    // The index of the '}' that closes the '${' at start, counting nested '${' as compose-go does.
    private static int ClosingBrace(string s, int start)
    {
        var open = 0;
        for (var i = start; i < s.Length; i++)
        {
            if (s[i] == '}')
            {
                open--;
                if (open == 0)
                {
                    return i;
                }
            }
            else if (s[i] == '$' && i + 1 < s.Length && s[i + 1] == '{')
            {
                open++;
                i++;
            }
        }

        return -1;
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static int NameEnd(string s, int start)
    {
        var i = start;
        while (i < s.Length && (s[i] == '_' || char.IsAsciiLetterOrDigit(s[i])))
        {
            i++;
        }

        return i;
    }

    // The template itself stays out of the message: it may hold an inline secret.
    private static DatamancyException Invalid(SourceMark mark, string reason) =>
        new(ErrorIds.InvalidInterpolation, ErrorKind.InvalidData,
            $"{mark}: invalid interpolation: {reason}.", mark.File);
}
