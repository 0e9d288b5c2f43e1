using System.Text.RegularExpressions;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Yaml;

namespace Datamancy.Stack;

/// <summary>
/// Loads a stack folder into a <see cref="StackDefinition"/>: .env, then the compose file
/// (interpolated, process environment first), then the Caddyfile. Throws before anything else
/// happens when any of them is invalid.
/// </summary>
public sealed partial class StackLoader : IStackLoader
{
    public const string EnvFileName = ".env";
    public const string CaddyfilePath = "caddy/Caddyfile";
    private const string DefaultProjectName = "datamancy";

    private readonly Func<string, string?> _environment;

    public StackLoader(Func<string, string?>? environment = null) =>
        _environment = environment ?? System.Environment.GetEnvironmentVariable;

    public StackDefinition Load(string directory)
    {
        var composeFile = StackLocator.FindComposeFile(directory)
            ?? throw new DatamancyException(ErrorIds.StackNotFound, ErrorKind.ObjectNotFound,
                $"The folder '{directory}' holds no compose file; run New-DatamancyStack -Path '{directory}'.", directory);
        var warnings = new List<string>();
        var envFile = Path.Combine(directory, EnvFileName);
        var useEnvFile = File.Exists(envFile) && string.IsNullOrEmpty(_environment("COMPOSE_DISABLE_ENV_FILE"));
        var dotEnv = useEnvFile
            ? DotEnvFile.Parse(envFile, File.ReadAllText(envFile), _environment)
            : new Dictionary<string, string>();
        string? Lookup(string name) => _environment(name) ?? (dotEnv.TryGetValue(name, out var value) ? value : null);

        var interpolator = new Interpolator(Lookup, warnings.Add);
        var root = YamlDocumentReader.Read(composeFile, File.ReadAllText(composeFile), interpolator.Interpolate);
        var declaredName = root is YMapping top && top["name"] is YScalar { IsNull: false } name ? name.Value : null;
        var projectName = NormalizeProjectName(Lookup("COMPOSE_PROJECT_NAME") ?? declaredName ?? Path.GetFileName(directory.TrimEnd('/', '\\')));
        var parsed = new ComposeParser(directory, warnings).Parse(root, projectName);
        var serviceNames = parsed.Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var caddyfile = Path.Combine(directory, CaddyfilePath);
        var routes = File.Exists(caddyfile)
            ? CaddyfileReader.Read(caddyfile, File.ReadAllText(caddyfile), Lookup, serviceNames)
            : [];

        return new StackDefinition
        {
            ProjectName = projectName,
            Directory = directory,
            ComposeFile = composeFile,
            EnvFile = useEnvFile ? envFile : null,
            Services = parsed.Services,
            Networks = parsed.Networks,
            Volumes = parsed.Volumes,
            Routes = routes,
            Extensions = parsed.Extensions,
            Warnings = warnings,
        };
    }

    /// <summary>Compose's project name rule: lower case, [a-z0-9_-], no leading '_' or '-'.</summary>
    public static string NormalizeProjectName(string name)
    {
        var normalized = InvalidProjectChars().Replace(name.ToLowerInvariant(), string.Empty).TrimStart('_', '-');
        return normalized.Length > 0 ? normalized : DefaultProjectName;
    }

    [GeneratedRegex("[^a-z0-9_-]")]
    private static partial Regex InvalidProjectChars();
}

/// <summary>What the cmdlets use to read a stack.</summary>
public interface IStackLoader
{
    StackDefinition Load(string directory);
}
