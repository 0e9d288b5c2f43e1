using System.Text;
using System.Text.RegularExpressions;
using Datamancy.Errors;
using Datamancy.Files;

namespace Datamancy.Stack;

/// <summary>
/// Creates a stack folder from the module's bundled configs: copies the files, then writes .env
/// from .env.example with fresh secrets (mode 600). Everything is checked before the first write.
/// </summary>
public sealed partial class StackCreator
{
    public const string ExampleFileName = ".env.example";
    public const string ProjectVariable = "COMPOSE_PROJECT_NAME";

    private readonly string _bundledConfigs;

    public StackCreator(string bundledConfigs) => _bundledConfigs = bundledConfigs;

    /// <summary>What Create would do, for -WhatIf and for validating before acting.</summary>
    public StackPlan Plan(string target, string? projectName, bool force)
    {
        if (projectName is not null && !ProjectNamePattern().IsMatch(projectName))
        {
            throw new DatamancyException(ErrorIds.InvalidProjectName, ErrorKind.InvalidArgument,
                $"The project name '{projectName}' is not valid: use lower-case letters, digits, '-' and '_', starting with a letter or digit (for example 'datamancy').", projectName);
        }

        if (StackLocator.FindComposeFile(_bundledConfigs) is null || !File.Exists(Path.Combine(_bundledConfigs, ExampleFileName)))
        {
            throw new DatamancyException(ErrorIds.BundledConfigsMissing, ErrorKind.ResourceUnavailable,
                $"The module's bundled configs are missing from '{_bundledConfigs}'; reinstall or rebuild the module.", _bundledConfigs);
        }

        var full = Path.GetFullPath(target);
        var existing = StackLocator.FindComposeFile(full) ?? (File.Exists(Path.Combine(full, StackLoader.EnvFileName)) ? Path.Combine(full, StackLoader.EnvFileName) : null);
        if (existing is not null && !force)
        {
            throw new DatamancyException(ErrorIds.StackExists, ErrorKind.ResourceExists,
                $"'{full}' already holds a stack ({Path.GetFileName(existing)}). Use -Force to overwrite its bundled files (the values in its .env are kept), or choose another -Path.", full);
        }

        var files = Directory.EnumerateFiles(_bundledConfigs, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_bundledConfigs, f))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new StackPlan(full, files, existing is not null, projectName);
    }

    public void Create(StackPlan plan)
    {
        Directory.CreateDirectory(plan.Target);
        foreach (var relative in plan.Files)
        {
            var destination = Path.Combine(plan.Target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(Path.Combine(_bundledConfigs, relative), destination, overwrite: true);
        }

        var envFile = Path.Combine(plan.Target, StackLoader.EnvFileName);
        var kept = File.Exists(envFile) ? DotEnvFile.Parse(envFile, File.ReadAllText(envFile), _ => null) : new Dictionary<string, string>();
        var example = File.ReadAllText(Path.Combine(_bundledConfigs, ExampleFileName));
        PrivateFile.WriteAllText(envFile, RenderEnv(example, kept, plan.ProjectName));
    }

    // Keeps the example's comments and order; fills secrets that are missing or empty, keeps every other value an existing .env had.
    internal static string RenderEnv(string example, IReadOnlyDictionary<string, string> kept, string? projectName)
    {
        var output = new StringBuilder();
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in example.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            var match = Assignment().Match(line);
            if (!match.Success)
            {
                output.Append(line).Append('\n');
                continue;
            }

            var name = match.Groups[1].Value;
            var value = match.Groups[2].Value;
            var generated = value.Length == 0 && SecretGenerator.IsSecretName(name);
            written.Add(name);
            if (name == ProjectVariable && projectName is not null)
            {
                value = projectName;
            }
            else if (kept.TryGetValue(name, out var existing) && (existing.Length > 0 || !generated))
            {
                value = Quote(existing);
            }
            else if (generated)
            {
                // New in .env.example, deleted from .env, or left empty there: an empty secret stops the stack (':?').
                value = SecretGenerator.NewHexSecret();
            }

            output.Append(name).Append('=').Append(value).Append('\n');
        }

        var extra = kept.Keys.Where(k => !written.Contains(k)).ToList();
        if (extra.Count > 0)
        {
            output.Append("\n# Kept from the previous .env (not in .env.example)\n");
            foreach (var name in extra)
            {
                output.Append(name).Append('=').Append(Quote(kept[name])).Append('\n');
            }
        }

        return output.ToString();
    }

    // Quoting keeps a kept value literal when it holds characters .env would interpret.
    private static string Quote(string value)
    {
        if (value.Length == 0 || PlainValue().IsMatch(value))
        {
            return value;
        }

        return value.Contains('\'') || value.Contains('\n')
            ? "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$").Replace("\n", "\\n") + "\""
            : $"'{value}'";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex ProjectNamePattern();

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^[A-Za-z0-9_./:@+,-]*$")]
    private static partial Regex PlainValue();
}

/// <summary>The files New-DatamancyStack will write into a folder.</summary>
public sealed record StackPlan(string Target, IReadOnlyList<string> Files, bool Overwrites, string? ProjectName);
