using System.Text.RegularExpressions;
using Datamancy.Stack.Model;

namespace Datamancy.Stack;

/// <summary>
/// Hides the stack's secrets in text the module writes out, by the rules of <see cref="SecretNames"/>:
/// the value of every secret variable wherever it appears (a password inside a URL or a command
/// line too), the whole value of every environment key that names a secret (an inline one), and
/// the password of every URL (scheme://user:password@host), which may be written out literally.
/// </summary>
public sealed partial class SecretMask
{
    public const string Masked = "********";

    // Shorter values are hidden only where they are a whole value: masking every "ab" would mangle the text, not protect it.
    private const int SubstringMinimum = 4;

    private readonly IReadOnlyList<string> _values;
    private readonly bool _byKey;

    private SecretMask(IReadOnlyList<string> values, bool byKey)
    {
        _values = values;
        _byKey = byKey;
    }

    /// <summary>Hides nothing (-IncludeSecret).</summary>
    public static SecretMask None { get; } = new([], byKey: false);

    /// <summary>The mask for a loaded stack; <paramref name="environment"/> is the process environment the stack was loaded with.</summary>
    public static SecretMask For(StackDefinition stack, Func<string, string?> environment)
    {
        var raw = RawCompose.Read(stack.ComposeFile);
        var lookup = StackLoader.Variables(stack.EnvFile, environment);
        var referenced = raw.VariablesByService.Values.SelectMany(names => names);
        var values = SecretNames.SecretVariables(referenced, raw)
            .Select(lookup)
            .OfType<string>()
            .Where(value => value.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(value => value.Length) // a secret that holds another is replaced whole
            .ToList();
        return new SecretMask(values, byKey: true);
    }

    /// <summary>The text with every secret value in it replaced by <see cref="Masked"/>.</summary>
    public string Apply(string text)
    {
        if (_byKey && text.Contains("://", StringComparison.Ordinal))
        {
            text = UrlPassword().Replace(text, Masked);
        }

        foreach (var value in _values)
        {
            if (text == value)
            {
                return Masked;
            }

            if (value.Length >= SubstringMinimum && text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, Masked, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>An environment value: masked whole when its key names a secret, else as <see cref="Apply"/> leaves it.</summary>
    public string EnvironmentValue(string key, string value) =>
        _byKey && value.Length > 0 && SecretNames.IsSecretKey(key) ? Masked : Apply(value);

    // The password between "scheme://user:" and "@": the user name stays, so the URL still says who connects.
    [GeneratedRegex(@"(?<=[A-Za-z][A-Za-z0-9+.-]*://[^/:@\s]*:)[^@/\s]+(?=@)")]
    private static partial Regex UrlPassword();
}
