using System.Globalization;
using System.Text.RegularExpressions;

namespace Datamancy.Backup.Kopia;

/// <summary>
/// Kopia's timestamps: Go's time.MarshalJSON (RFC 3339, 0 to 9 fractional digits, trailing zeros
/// dropped), in UTC since kopia#2362 and with a local offset before (kopia#1214). .NET keeps 7
/// digits, so the extra ones are cut here rather than left to a parser that may reject them; the
/// time is for display and ordering only, identity is always the snapshot id.
/// </summary>
internal static partial class KopiaTime
{
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        var match = text is null ? null : Rfc3339().Match(text);
        if (match is null || !match.Success)
        {
            return false;
        }

        if (!DateTime.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var seconds))
        {
            return false;
        }

        // Digits 8 and 9 are below a tick (100 ns): truncate, never round, so the order of two
        // snapshots within the same tick stays as Kopia listed them.
        var fraction = match.Groups[2].Value;
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(9, '0')[..7], CultureInfo.InvariantCulture);

        var zone = match.Groups[3].Value;
        var offset = zone == "Z" ? TimeSpan.Zero : TimeSpan.ParseExact(zone[1..], @"hh\:mm", CultureInfo.InvariantCulture);
        if (zone[0] == '-')
        {
            offset = -offset;
        }

        if (offset.Duration() > TimeSpan.FromHours(14))
        {
            return false;
        }

        value = new DateTimeOffset(seconds.AddTicks(ticks), offset).ToUniversalTime();
        return true;
    }
}
