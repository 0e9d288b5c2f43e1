namespace Datamancy.Security;

/// <summary>Judges a secret's value without ever revealing it: well-known placeholders, and an entropy estimate from its character set and length.</summary>
public static class SecretStrength
{
    /// <summary>The least a secret must have; New-DatamancyStack and Update-DatamancySecret write 256.</summary>
    public const double MinimumBits = 128;

    private static readonly HashSet<string> Placeholders = new(StringComparer.OrdinalIgnoreCase)
    {
        "changeme", "change_me", "change-me", "changeit", "changethis", "password", "passwd", "passw0rd", "p@ssw0rd", "p@ssword", "secret",
        "admin", "administrator", "root", "toor", "example", "default", "test", "testing", "demo", "guest", "letmein", "qwerty",
        "123456", "12345678", "123456789", "1234567890", "000000", "111111", "abc123", "welcome", "postgres", "mysql", "mariadb",
        "redis", "mongo", "mongodb", "user", "pass", "none", "null", "undefined", "todo", "tbd", "xxx", "insecure", "placeholder",
        "token", "apikey", "api_key", "key", "mypassword", "mysecret",
    };

    private static readonly string[] PlaceholderParts =
    [
        "changeme", "change_me", "change-me", "replace_me", "replaceme", "replace-me", "placeholder", "example", "your_", "your-", "xxxx",
    ];

    /// <summary>Empty, a well-known default ("changeme", "password", "admin", ...), a word with a number ("password123"), a template ("&lt;your-token&gt;") or one repeated character.</summary>
    public static bool IsPlaceholder(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0 || Placeholders.Contains(trimmed) || Placeholders.Contains(trimmed.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '!', '.', '_', '-')))
        {
            return true;
        }

        var lower = trimmed.ToLowerInvariant();
        return PlaceholderParts.Any(lower.Contains) || (trimmed.StartsWith('<') && trimmed.EndsWith('>')) || trimmed.Distinct().Count() == 1;
    }

    /// <summary>
    /// Bits of entropy if the value were drawn at random from its character classes (hex digits 16,
    /// lower 26, upper 26, digits 10, other printable 33, anything else 128 more), over its length;
    /// a value that repeats a shorter unit counts that unit only. An upper bound for chosen words.
    /// </summary>
    public static double EstimateBits(string value)
    {
        if (value.Length == 0)
        {
            return 0;
        }

        var isHex = value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f') || value.All(c => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F');
        var digitsOnly = value.All(char.IsAsciiDigit);
        var charset = digitsOnly ? 10 : isHex ? 16 : Charset(value);
        return Period(value) * Math.Log2(charset);
    }

    public static bool IsWeak(string value) => EstimateBits(value) < MinimumBits;

    private static int Charset(string value)
    {
        var size = 0;
        size += value.Any(char.IsAsciiLetterLower) ? 26 : 0;
        size += value.Any(char.IsAsciiLetterUpper) ? 26 : 0;
        size += value.Any(char.IsAsciiDigit) ? 10 : 0;
        size += value.Any(c => c < 128 && !char.IsAsciiLetterOrDigit(c)) ? 33 : 0;
        size += value.Any(c => c >= 128) ? 128 : 0;
        return Math.Max(size, 2);
    }

    // The length of the shortest unit the value repeats ("abcabcabc" -> 3); the length itself when none.
    private static int Period(string value)
    {
        for (var unit = 1; unit <= value.Length / 2; unit++)
        {
            if (value.Length % unit != 0)
            {
                continue;
            }

            var repeats = true;
            for (var i = unit; i < value.Length && repeats; i++)
            {
                repeats = value[i] == value[i - unit];
            }

            if (repeats)
            {
                return unit;
            }
        }

        return value.Length;
    }
}
