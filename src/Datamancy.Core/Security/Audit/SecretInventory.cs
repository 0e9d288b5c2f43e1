using System.Text.RegularExpressions;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Security.Audit;

/// <summary>Where a secret's value comes from. Value stays inside the audit: it is compared, measured, never written out.</summary>
internal sealed record SecretOrigin(SecretOriginKind Kind, string Description, string Value, string Location, string Source,
    string? Variable, IReadOnlyList<string> Services);

internal enum SecretOriginKind
{
    /// <summary>A secret variable of .env.</summary>
    EnvVariable,

    /// <summary>A literal secret in a service's environment in the compose file.</summary>
    Inline,

    /// <summary>A secret that falls back to the default written in the compose file because its variable is not set.</summary>
    ComposeDefault,
}

/// <summary>Collects every secret of the stack: .env's secret variables, and the compose file's inline and default ones.</summary>
internal static partial class SecretInventory
{
    public static IReadOnlyList<SecretOrigin> Collect(StackDefinition stack, RawCompose raw, Func<string, string?> environment)
    {
        var origins = new List<SecretOrigin>();
        var envFile = Path.Combine(stack.Directory, StackLoader.EnvFileName);
        var envValues = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(envFile))
        {
            var text = File.ReadAllText(envFile);
            envValues = new Dictionary<string, string>(DotEnvFile.Parse(envFile, text, _ => null), StringComparer.Ordinal);
            var lines = EnvFileEditor.Locate(text);
            foreach (var name in SecretNames.SecretVariables(envValues.Keys, raw))
            {
                var value = envValues[name];
                var line = lines.TryGetValue(name, out var assignment) ? assignment.Line + 1 : 1;
                origins.Add(new SecretOrigin(SecretOriginKind.EnvVariable, $"{name} in .env", value, $"{envFile}:{line}:1", AuditSources.Env, name,
                    raw.ServicesUsing(name)));
            }
        }

        foreach (var entry in raw.Environment)
        {
            var service = stack.FindService(entry.Service);
            var value = service?.Environment.TryGetValue(entry.Key, out var v) == true ? v ?? string.Empty : string.Empty;
            var references = RawCompose.References(entry.Raw);
            var where = $"{entry.Key} of {entry.Service} in {Path.GetFileName(stack.ComposeFile)}";
            if (SecretNames.IsSecretKey(entry.Key) && references.Count == 0 && !IsSwitch(value))
            {
                origins.Add(new SecretOrigin(SecretOriginKind.Inline, where, value, entry.Mark.ToString(), AuditSources.Compose, null, [entry.Service]));
            }

            // mysql://user:password@host: a literal password inside a URL is inline too.
            if (UrlPassword().Match(entry.Raw) is { Success: true } url && RawCompose.References(url.Groups[1].Value).Count == 0 && !url.Groups[1].Value.Contains('$'))
            {
                origins.Add(new SecretOrigin(SecretOriginKind.Inline, $"the password in the URL of {where}", url.Groups[1].Value, entry.Mark.ToString(),
                    AuditSources.Compose, null, [entry.Service]));
            }

            var unset = references.Where(r => environment(r) is null && !envValues.ContainsKey(r)).ToList();
            if (unset.Count > 0 && value.Length > 0 && (SecretNames.IsSecretKey(entry.Key) || unset.Any(SecretGenerator.IsSecretName)))
            {
                origins.Add(new SecretOrigin(SecretOriginKind.ComposeDefault, where, value, entry.Mark.ToString(), AuditSources.Compose,
                    string.Join(", ", unset), [entry.Service]));
            }
        }

        return origins;
    }

    private static bool IsSwitch(string value) =>
        value.Trim().ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "0" or "1";

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:([^@\s]+)@")]
    private static partial Regex UrlPassword();
}
