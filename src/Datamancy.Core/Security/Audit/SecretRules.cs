using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Security.Audit;

/// <summary>
/// Secrets: placeholders and defaults, reuse, weak values, secrets written into the compose file,
/// and secret files others can read. Messages name the variable and the place, never the value.
/// </summary>
internal static class SecretRules
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static void Check(StackDefinition stack, RawCompose raw, Func<string, string?> environment, FindingSink sink)
    {
        var origins = SecretInventory.Collect(stack, raw, environment);
        foreach (var origin in origins)
        {
            var services = string.Join(", ", origin.Services);
            string[] variables = origin.Kind == SecretOriginKind.EnvVariable ? [origin.Variable!] : [];
            switch (origin.Kind)
            {
                case SecretOriginKind.ComposeDefault:
                    sink.Add(SecurityRules.PlaceholderSecret, services,
                        $"{origin.Description} falls back to the default written in the compose file, because {origin.Variable} is not set in .env: anyone who can read the file knows it.",
                        origin.Source, origin.Location, "default:" + origin.Description,
                        remediation: $"Set {origin.Variable} in .env to a fresh secret (New-DatamancyStack -Force fills the missing ones), and use ${{{origin.Variable}:?...}} instead of a default.");
                    continue;
                case SecretOriginKind.Inline:
                    sink.Add(SecurityRules.InlineSecret, services, $"{origin.Description} is written inline in the compose file.", origin.Source, origin.Location, "inline:" + origin.Description);
                    break;
            }

            if (SecretStrength.IsPlaceholder(origin.Value))
            {
                sink.Add(SecurityRules.PlaceholderSecret, services,
                    origin.Value.Trim().Length == 0 ? $"{origin.Description} is empty." : $"{origin.Description} is a well-known default or placeholder value.",
                    origin.Source, origin.Location, "placeholder:" + origin.Description, variables: variables);
            }
            else if (SecretStrength.IsWeak(origin.Value))
            {
                sink.Add(SecurityRules.WeakSecret, services,
                    $"{origin.Description} is weaker than {SecretStrength.MinimumBits} bits (estimated from its length and character set).",
                    origin.Source, origin.Location, "weak:" + origin.Description, variables: variables);
            }
        }

        CheckReuse(origins, sink);
        CheckFileModes(stack, sink);
    }

    // One finding per shared value, naming every place that holds it. Placeholders are already Critical on their own.
    private static void CheckReuse(IReadOnlyList<SecretOrigin> origins, FindingSink sink)
    {
        var groups = origins
            .Where(o => o.Kind != SecretOriginKind.ComposeDefault && !SecretStrength.IsPlaceholder(o.Value))
            .GroupBy(o => o.Value, StringComparer.Ordinal)
            .Where(g => g.Select(o => o.Description).Distinct().Count() > 1);
        foreach (var group in groups)
        {
            var places = group.Select(o => o.Description).Distinct().ToList();
            var services = group.SelectMany(o => o.Services).Distinct().Order(StringComparer.Ordinal);
            var first = group.First();
            sink.Add(SecurityRules.ReusedSecret, string.Join(", ", services),
                $"One secret value is shared by {string.Join(", ", places.Take(places.Count - 1))} and {places[^1]}: one leak opens all of them.",
                first.Source, first.Location, "reuse:" + string.Join("|", places),
                variables: [.. group.Where(o => o.Variable is not null && o.Kind == SecretOriginKind.EnvVariable).Select(o => o.Variable!).Distinct()]);
        }
    }

    private static void CheckFileModes(StackDefinition stack, FindingSink sink)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // .env and its backups (.env.<time>.bak) hold every secret; .env.example holds none.
        var files = Directory.EnumerateFiles(stack.Directory, StackLoader.EnvFileName + "*")
            .Where(f => Path.GetFileName(f) is var n && (n == StackLoader.EnvFileName || n.EndsWith(".bak", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var mode = File.GetUnixFileMode(file);
            if ((mode & GroupOrOther) != 0)
            {
                sink.Add(SecurityRules.EnvFileMode, string.Empty,
                    $"{Path.GetFileName(file)} holds secrets and is readable beyond its owner (mode {Octal(mode)}).",
                    AuditSources.Env, file, "mode:" + file, remediation: $"chmod 600 '{file}'");
            }
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
