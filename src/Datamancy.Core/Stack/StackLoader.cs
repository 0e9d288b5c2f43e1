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
        var lookup = Variables(useEnvFile ? envFile : null, _environment);
        var interpolator = new Interpolator(lookup, warnings.Add);
        var root = YamlDocumentReader.Read(composeFile, File.ReadAllText(composeFile), interpolator.Interpolate);
        var declaredName = root is YMapping top && top["name"] is YScalar { IsNull: false } name ? name.Value : null;
        var projectName = NormalizeProjectName(lookup("COMPOSE_PROJECT_NAME") ?? declaredName ?? Path.GetFileName(directory.TrimEnd('/', '\\')));
        var parsed = new ComposeParser(directory, warnings).Parse(root, projectName);
        var serviceNames = parsed.Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var caddyfile = Path.Combine(directory, CaddyfilePath);
        var routes = File.Exists(caddyfile)
            ? CaddyfileReader.Read(caddyfile, File.ReadAllText(caddyfile), lookup, serviceNames)
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

    /// <summary>The value of a stack variable as Compose takes it: the process environment first, then .env; null when unset.</summary>
    public static Func<string, string?> Variables(string? envFile, Func<string, string?> environment)
    {
        var dotEnv = envFile is null ? new Dictionary<string, string>() : DotEnvFile.Parse(envFile, File.ReadAllText(envFile), environment);
        return name => environment(name) ?? (dotEnv.TryGetValue(name, out var value) ? value : null);
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
