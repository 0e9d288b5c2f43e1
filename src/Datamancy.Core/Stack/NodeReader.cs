using System.Globalization;
using System.Text.RegularExpressions;
using Datamancy.Errors;
using Datamancy.Yaml;

namespace Datamancy.Stack;

/// <summary>
/// Typed reads of YAML values for the compose model. Every failure is an InvalidValue error
/// naming the place (file:line:column), the key path and what was expected.
/// </summary>
internal static partial class NodeReader
{
    public static DatamancyException Invalid(YNode node, string path, string expected) =>
        new(ErrorIds.InvalidValue, ErrorKind.InvalidData,
            $"{node.Mark}: {path} must be {expected}, not {Describe(node)}.", path);

    public static YMapping Mapping(YNode node, string path) =>
        node as YMapping ?? throw Invalid(node, path, "a mapping");

    public static string String(YNode node, string path) =>
        node is YScalar scalar ? scalar.Value : throw Invalid(node, path, "a string");

    public static string? OptionalString(YNode? node, string path) =>
        node is null or YScalar { IsNull: true } ? null : String(node, path);

    public static bool Bool(YNode node, string path)
    {
        if (node is YScalar scalar)
        {
            switch (scalar.Value.ToLowerInvariant())
            {
                case "true" or "yes" or "on": return true;
                case "false" or "no" or "off": return false;
            }
        }

        throw Invalid(node, path, "true or false");
    }

    public static long Integer(YNode node, string path) =>
        node is YScalar scalar && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(node, path, "a whole number");

    public static double Number(YNode node, string path) =>
        node is YScalar scalar && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(node, path, "a number");

    /// <summary>A string or a list of strings (command, entrypoint, dns, env_file, tmpfs ...).</summary>
    public static IReadOnlyList<string> StringOrList(YNode node, string path) => node switch
    {
        YScalar { IsNull: true } => [],
        YScalar scalar => [scalar.Value],
        YSequence list => list.Items.Select((item, i) => String(item, $"{path}[{i}]")).ToList(),
        _ => throw Invalid(node, path, "a string or a list of strings"),
    };

    public static IReadOnlyList<string> StringList(YNode node, string path) => node switch
    {
        YScalar { IsNull: true } => [],
        YSequence list => list.Items.Select((item, i) => String(item, $"{path}[{i}]")).ToList(),
        _ => throw Invalid(node, path, "a list of strings"),
    };

    /// <summary>
    /// A mapping or a list of <c>KEY=VALUE</c> strings (environment, labels, sysctls). A key with no
    /// value maps to null.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> KeyValues(YNode node, string path)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (node)
        {
            case YScalar { IsNull: true }:
                break;
            case YMapping mapping:
                foreach (var (key, value) in mapping.Entries)
                {
                    result[key.Value] = value is YScalar { IsNull: true } ? null : String(value, $"{path}.{key.Value}");
                }

                break;
            case YSequence list:
                for (var i = 0; i < list.Items.Count; i++)
                {
                    var item = String(list.Items[i], $"{path}[{i}]");
                    var equals = item.IndexOf('=');
                    result[equals < 0 ? item : item[..equals]] = equals < 0 ? null : item[(equals + 1)..];
                }

                break;
            default:
                throw Invalid(node, path, "a mapping or a list of KEY=VALUE strings");
        }

        return result;
    }

    public static IReadOnlyDictionary<string, string> StringMap(YNode? node, string path) =>
        node is null
            ? new Dictionary<string, string>()
            : KeyValues(node, path).ToDictionary(p => p.Key, p => p.Value ?? string.Empty, StringComparer.Ordinal);

    /// <summary>A Compose duration: <c>1h2m3s</c>, <c>1m30s</c>, <c>500ms</c>, <c>10s</c> or seconds as a number.</summary>
    public static TimeSpan Duration(YNode node, string path)
    {
        var text = String(node, path).Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var matches = DurationPart().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            throw Invalid(node, path, "a duration such as 30s, 1m30s or 500ms");
        }

        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "us" or "µs" => TimeSpan.FromMicroseconds(amount),
                _ => TimeSpan.FromTicks((long)(amount / 100)),
            };
        }

        return total;
    }

    /// <summary>A byte size: a number of bytes or with a unit b, k, m, g (optionally kb, mb, gb).</summary>
    public static long ByteSize(YNode node, string path)
    {
        var text = String(node, path).Trim().ToLowerInvariant();
        var match = ByteSizePattern().Match(text);
        if (!match.Success)
        {
            throw Invalid(node, path, "a size such as 64m, 1g or 1048576");
        }

        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var factor = match.Groups[2].Value.TrimEnd('b', 'i') switch
        {
            "" => 1L,
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            _ => throw Invalid(node, path, "a size such as 64m, 1g or 1048576"),
        };
        return (long)(amount * factor);
    }

    private static string Describe(YNode node) => node switch
    {
        YScalar { IsNull: true } => "an empty value",
        YScalar scalar when scalar.Value.Length <= 40 && !LooksSecret(scalar.Value) => $"'{scalar.Value}'",
        YScalar => "that string",
        _ => node.KindName,
    };

    // Long or random-looking strings are not echoed back: they may be secrets.
    private static bool LooksSecret(string value) => value.Length >= 16 && !value.Contains(' ');

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)$")]
    private static partial Regex ByteSizePattern();
}
