using System.Globalization;
using System.Text;

namespace Datamancy.Identity;

/// <summary>
/// Escaping for the two places a value meets LDAP syntax: a filter assertion value (RFC 4515) and
/// an attribute value inside a distinguished name (RFC 4514). Every value from a user goes through
/// one of these, so a name such as <c>*)(uid=*</c> stays a literal.
/// </summary>
public static class LdapEscaping
{
    /// <summary>RFC 4515: '*', '(', ')', '\' and NUL as \XX; other control characters too, for readable logs.</summary>
    public static string FilterValue(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '*' or '(' or ')' or '\\' || char.IsControl(c))
            {
                AppendHex(builder, c);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// A PowerShell wildcard pattern as a substring assertion: '*' stays a wildcard, '?' and
    /// '[...]' widen to '*' (the caller filters exactly afterwards), a backtick escapes, and every
    /// literal is escaped per RFC 4515.
    /// </summary>
    public static string WildcardFilterValue(string pattern)
    {
        var builder = new StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '`' && i + 1 < pattern.Length)
            {
                builder.Append(FilterValue(pattern[++i].ToString()));
            }
            else if (c is '*' or '?')
            {
                AppendStar(builder);
            }
            else if (c == '[')
            {
                var close = pattern.IndexOf(']', i + 1);
                if (close < 0)
                {
                    builder.Append(FilterValue("["));
                    continue;
                }

                AppendStar(builder);
                i = close;
            }
            else
            {
                builder.Append(FilterValue(c.ToString()));
            }
        }

        return builder.Length == 0 ? "*" : builder.ToString();
    }

    /// <summary>
    /// RFC 4514 section 2.4: '"', '+', ',', ';', '&lt;', '&gt;', '\' and '=' with a backslash; a leading
    /// '#' or space and a trailing space with a backslash; NUL and other control characters as \XX.
    /// </summary>
    public static string DnValue(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                AppendHex(builder, c);
            }
            else if (c is '"' or '+' or ',' or ';' or '<' or '>' or '\\' or '='
                || (i == 0 && c is '#' or ' ')
                || (i == value.Length - 1 && c == ' '))
            {
                builder.Append('\\').Append(c);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static void AppendStar(StringBuilder builder)
    {
        // An escaped '*' is written as \2a, so a trailing '*' is always a wildcard already.
        if (builder.Length == 0 || builder[^1] != '*')
        {
            builder.Append('*');
        }
    }

    // RFC 4515 and 4514 escape bytes, so a character outside ASCII becomes one \XX per UTF-8 byte.
    private static void AppendHex(StringBuilder builder, char c)
    {
        foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
        {
            builder.Append('\\').Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }
    }
}
