using System.Text;
using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Datamancy.Yaml;

namespace Datamancy.Swarm;

/// <summary>One .env secret as a swarm secret: &lt;project&gt;_&lt;VAR&gt;_&lt;16 hex of its sha256&gt;, mounted at /run/secrets/&lt;VAR&gt;. ToString never shows the value.</summary>
public sealed record SwarmSecret(string Variable, string Name, byte[] Data)
{
    public const string Folder = "/run/secrets/";

    public string Target => Folder + Variable;

    public SwarmObjectData ToData() => new(Name, Data, $"{Variable} in .env");

    public override string ToString() => Name;
}

/// <summary>An environment key of a service fed by a secret: as a file (<c>KEY_FILE=/run/secrets/VAR</c>) or, for an image that reads no file, the value itself.</summary>
public sealed record SwarmSecretUse(string Service, string EnvKey, SwarmSecret Secret, bool AsFile)
{
    public string FileKey => EnvKey + "_FILE";
}

/// <summary>
/// The .env variables that hold secrets (SecretNames) and the services whose environment references
/// them. Each such secret is mounted into the service as /run/secrets/&lt;VAR&gt;. The environment keys
/// listed in the service's <c>x-datamancy: { secret-files: [KEY, ...] }</c> (the image reads
/// KEY_FILE, as the official postgres, mariadb and many other images do) become KEY_FILE=/run/secrets/&lt;VAR&gt;;
/// the others keep the value in the environment, which Test-DatamancySecurity reports.
/// </summary>
public sealed class SwarmSecrets
{
    public const string FilesKey = "secret-files";

    private readonly IReadOnlyList<SwarmSecretUse> _uses;

    private SwarmSecrets(IReadOnlyList<SwarmSecretUse> uses) => _uses = uses;

    public static SwarmSecrets None { get; } = new([]);

    public IReadOnlyList<SwarmSecretUse> Uses => _uses;

    public IReadOnlyList<SwarmSecretUse> For(string service) => _uses.Where(u => u.Service == service).ToList();

    /// <summary>The distinct secrets the given services use.</summary>
    public IReadOnlyList<SwarmSecret> UsedBy(IEnumerable<ServiceDefinition> services)
    {
        var names = services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return _uses.Where(u => names.Contains(u.Service)).Select(u => u.Secret).DistinctBy(s => s.Name).ToList();
    }

    public static SwarmSecrets Read(StackDefinition stack)
    {
        var envFile = Path.Combine(stack.Directory, StackLoader.EnvFileName);
        var values = File.Exists(envFile) ? DotEnvFile.Parse(envFile, File.ReadAllText(envFile), _ => null) : new Dictionary<string, string>();
        return From(stack, RawCompose.Read(stack.ComposeFile), values);
    }

    public static SwarmSecrets From(StackDefinition stack, RawCompose raw, IReadOnlyDictionary<string, string> envValues)
    {
        var variables = SecretNames.SecretVariables(envValues.Keys, raw).ToHashSet(StringComparer.Ordinal);
        var uses = new List<SwarmSecretUse>();
        foreach (var group in raw.Environment.GroupBy(e => e.Service, StringComparer.Ordinal))
        {
            var service = stack.FindService(group.Key);
            if (service is null)
            {
                continue;
            }

            var files = FileKeys(stack, service);
            foreach (var entry in group)
            {
                var referenced = RawCompose.References(entry.Raw).Where(variables.Contains).Order(StringComparer.Ordinal).ToList();
                var asFile = files.Contains(entry.Key);
                // A file carries the secret alone: the key must be the variable and nothing else (${VAR}, ${VAR:?...}).
                if (asFile && (referenced.Count != 1 || !IsExactly(entry, referenced[0])))
                {
                    throw new DatamancyException(ErrorIds.InvalidStackSetting, ErrorKind.InvalidData,
                        $"{entry.Mark}: service '{service.Name}' lists {entry.Key} in x-datamancy.{FilesKey}, but its value is not exactly one .env secret (${{VAR}}): " +
                        "a file can only carry the secret itself. Set the key to ${VAR} alone, or take it out of the list.", stack.ComposeFile);
                }

                uses.AddRange(referenced.Select(v => new SwarmSecretUse(service.Name, entry.Key, Secret(stack, v, envValues[v]), asFile)));
            }

            var unknown = files.Where(k => !group.Any(e => e.Key == k)).ToList();
            if (unknown.Count > 0)
            {
                throw new DatamancyException(ErrorIds.InvalidStackSetting, ErrorKind.InvalidData,
                    $"{service.Mark}: service '{service.Name}' lists {string.Join(", ", unknown)} in x-datamancy.{FilesKey}, which its environment does not set. " +
                    "List only environment keys set to a .env secret.", stack.ComposeFile);
            }
        }

        return new SwarmSecrets(uses);
    }

    public static SwarmSecret Secret(StackDefinition stack, string variable, string value)
    {
        var data = Encoding.UTF8.GetBytes(value);
        return new SwarmSecret(variable, SwarmObjectStore.VersionedName($"{stack.ProjectName}_{variable}", data), data);
    }

    private static bool IsExactly(RawEnvironmentEntry entry, string variable)
    {
        const string Marker = "\u0001";
        try
        {
            return new Interpolator(name => name == variable ? Marker : "x").Interpolate(entry.Raw, entry.Mark) == Marker;
        }
        catch (DatamancyException)
        {
            return false;
        }
    }

    private static HashSet<string> FileKeys(StackDefinition stack, ServiceDefinition service)
    {
        var block = service.Extensions.TryGetValue(SwarmSettings.BlockKey, out var node) ? node : null;
        return block switch
        {
            null or YScalar { IsNull: true } => [],
            YMapping mapping => mapping[FilesKey] switch
            {
                null or YScalar { IsNull: true } => [],
                YSequence list when list.Items.All(i => i is YScalar) => list.Items.Cast<YScalar>().Select(i => i.Value).ToHashSet(StringComparer.Ordinal),
                var other => throw Invalid(stack, $"{other.Mark}: x-datamancy.{FilesKey} of service '{service.Name}' must be a list of environment keys."),
            },
            _ => throw Invalid(stack, $"{block.Mark}: x-datamancy of service '{service.Name}' must be a mapping ({FilesKey})."),
        };
    }

    private static DatamancyException Invalid(StackDefinition stack, string message) =>
        new(ErrorIds.InvalidStackSetting, ErrorKind.InvalidData, message, stack.ComposeFile);
}
