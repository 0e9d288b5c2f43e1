using System.Globalization;
using System.Text;

namespace Datamancy.Identity;

/// <summary>
/// Reads distinguished names in the RFC 4514 string form, so DNs can be compared whatever escaping
/// the server or a person chose (<c>uid=a\,b</c> and <c>uid=a\2Cb</c> are the same name).
/// Attribute types and values compare case-insensitively: uid, cn, ou and dc all match that way.
/// </summary>
public sealed class DistinguishedName
{
    private DistinguishedName(IReadOnlyList<IReadOnlyList<(string Type, string Value)>> rdns) => Rdns = rdns;

    /// <summary>The relative names, leftmost first; each holds one or more type=value pairs.</summary>
    public IReadOnlyList<IReadOnlyList<(string Type, string Value)>> Rdns { get; }

    public static DistinguishedName? TryParse(string text)
    {
        var rdns = new List<IReadOnlyList<(string, string)>>();
        var pairs = new List<(string, string)>();
        var i = 0;
        SkipSpaces(text, ref i);
        if (i == text.Length)
        {
            return new DistinguishedName(rdns);
        }

        while (true)
        {
            var equals = text.IndexOf('=', i);
            if (equals <= i)
            {
                return null;
            }

            var type = text[i..equals].Trim();
            i = equals + 1;
            SkipSpaces(text, ref i);
            var value = ReadValue(text, ref i);
            if (type.Length == 0 || value is null)
            {
                return null;
            }

            pairs.Add((type, value));
            if (i == text.Length)
            {
                rdns.Add(pairs);
                return new DistinguishedName(rdns);
            }

            if (text[i] is ',' or ';')
            {
                rdns.Add(pairs);
                pairs = [];
            }

            i++;
            SkipSpaces(text, ref i);
        }
    }

    /// <summary>True when both strings are valid DNs naming the same entry.</summary>
    public static bool AreEqual(string left, string right)
    {
        if (string.Equals(left, right, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var a = TryParse(left);
        var b = TryParse(right);
        return a is not null && b is not null && a.Rdns.Count == b.Rdns.Count && a.EndsWith(b);
    }

    /// <summary>The value of the leftmost RDN when it has the given type (uid=alice,... gives alice).</summary>
    public string? LeadingValue(string type) =>
        Rdns.Count > 0 && Rdns[0].Count == 1 && string.Equals(Rdns[0][0].Type, type, StringComparison.OrdinalIgnoreCase)
            ? Rdns[0][0].Value
            : null;

    /// <summary>True when this DN is <paramref name="suffix"/> or lies below it.</summary>
    public bool EndsWith(DistinguishedName suffix)
    {
        var offset = Rdns.Count - suffix.Rdns.Count;
        if (offset < 0)
        {
            return false;
        }

        for (var r = 0; r < suffix.Rdns.Count; r++)
        {
            var mine = Rdns[offset + r];
            var theirs = suffix.Rdns[r];
            if (mine.Count != theirs.Count || !mine.All(p => theirs.Any(q => SamePair(p, q))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SamePair((string Type, string Value) a, (string Type, string Value) b) =>
        string.Equals(a.Type, b.Type, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Value, b.Value, StringComparison.OrdinalIgnoreCase);

    // Reads up to an unescaped ',', ';' or '+'; trailing unescaped spaces are not part of the value.
    private static string? ReadValue(string text, ref int i)
    {
        if (i < text.Length && text[i] == '#')
        {
            var start = i;
            while (i < text.Length && text[i] is not (',' or ';' or '+'))
            {
                i++;
            }

            return text[start..i].TrimEnd();
        }

        var bytes = new List<byte>();
        var keep = 0;
        while (i < text.Length && text[i] is not (',' or ';' or '+'))
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    return null;
                }

                if (i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
                {
                    bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 3;
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(text[i + 1].ToString()));
                    i += 2;
                }

                keep = bytes.Count;
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i, 2)));
                i += 2;
                keep = bytes.Count;
                continue;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            if (c != ' ')
            {
                keep = bytes.Count;
            }

            i++;
        }

        return Encoding.UTF8.GetString(bytes.GetRange(0, keep).ToArray());
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
    }
}
