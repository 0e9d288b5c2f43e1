using System.Text.RegularExpressions;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Yaml;
using static Datamancy.Stack.NodeReader;

namespace Datamancy.Stack;

/// <summary>
/// Turns the compose file's YAML tree into the stack model, refusing unknown and unsupported keys,
/// wrong types and dangling references with an error that points at file, line and column.
/// </summary>
internal sealed partial class ComposeParser
{
    private const string ExceptionsKey = "x-datamancy-exceptions";
    private const string ChecksKey = "x-datamancy-checks";
    private const string BrowserKey = "x-datamancy-browser";

    public static readonly IReadOnlySet<string> ExceptionKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "root-user", "capabilities", "privileged", "devices", "docker-socket", "host-network", "writable-config", "forward-auth",

        // A key a swarm service cannot express, left out in swarm mode with a warning instead of refused (Swarm/SwarmKeyCheck).
        "swarm:privileged", "swarm:devices", "swarm:network_mode", "swarm:shm_size", "swarm:container_name", "swarm:security_opt", "swarm:ports",
    };

    private static readonly IReadOnlySet<string> NoKeys = new HashSet<string>();

    private readonly string _directory;
    private readonly List<string> _warnings;

    public ComposeParser(string directory, List<string> warnings)
    {
        _directory = directory;
        _warnings = warnings;
    }

    public (IReadOnlyList<ServiceDefinition> Services, IReadOnlyList<NetworkDefinition> Networks,
        IReadOnlyList<VolumeDefinition> Volumes, string? Name, IReadOnlyDictionary<string, YNode> Extensions) Parse(YNode root, string projectNameForResources)
    {
        var top = root as YMapping ?? throw Invalid(root, "the compose file", "a mapping with a 'services' key");
        CheckKeys(top, ComposeKeys.TopLevel, ComposeKeys.TopLevelUnsupported, "the top level", null);
        if (top["version"] is { } version)
        {
            _warnings.Add($"{version.Mark}: 'version' is obsolete and ignored, as Compose does.");
        }

        var servicesNode = top["services"] ?? throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidData,
            $"{top.Mark}: the compose file has no 'services' key; a stack needs at least one service.", top.Mark.File);
        var networks = ParseNetworks(top["networks"], projectNameForResources);
        var volumes = ParseVolumes(top["volumes"], projectNameForResources);
        var services = new List<ServiceDefinition>();
        foreach (var (key, value) in Mapping(servicesNode, "services").Entries)
        {
            CheckName(key, "service");
            services.Add(ParseService(key.Value, Mapping(value, $"services.{key.Value}"), networks, volumes));
        }

        CheckDependencies(services);
        var extensions = top.Entries.Where(e => ComposeKeys.IsExtension(e.Key.Value)).ToDictionary(e => e.Key.Value, e => e.Value);
        return (services, networks, volumes, OptionalString(top["name"], "name"), extensions);
    }

    private ServiceDefinition ParseService(string name, YMapping node, IReadOnlyList<NetworkDefinition> networks, IReadOnlyList<VolumeDefinition> volumes)
    {
        var where = $"services.{name}";
        CheckKeys(node, ComposeKeys.Service, ComposeKeys.ServiceUnsupported, $"service '{name}'", name);
        string P(string key) => $"{where}.{key}";
        T? Opt<T>(string key, Func<YNode, string, T> read) where T : class => node[key] is { } v and not YScalar { IsNull: true } ? read(v, P(key)) : null;
        T? OptValue<T>(string key, Func<YNode, string, T> read) where T : struct => node[key] is { } v and not YScalar { IsNull: true } ? read(v, P(key)) : null;

        var image = Opt("image", String);
        if (string.IsNullOrWhiteSpace(image))
        {
            throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidData,
                $"{node.Mark}: service '{name}' has no image; every service needs 'image:' (building images is not supported).", name);
        }

        var networkMode = Opt("network_mode", String);
        return new ServiceDefinition
        {
            Name = name,
            Mark = node.Mark,
            Image = image,
            PullPolicy = node["pull_policy"] is { } pull and not YScalar { IsNull: true } ? ParsePullPolicy(pull, P("pull_policy")) : null,
            Profiles = ParseProfiles(node["profiles"], P("profiles")),
            DependsOn = ParseDependsOn(node["depends_on"], P("depends_on")),
            Ports = node["ports"] is { } ports ? ParsePorts(ports, P("ports")) : [],
            Expose = Opt("expose", StringOrList) ?? [],
            Volumes = node["volumes"] is { } mounts ? ParseMounts(mounts, P("volumes"), volumes) : [],
            Networks = ParseServiceNetworks(node["networks"], P("networks"), networks, networkMode),
            NetworkMode = networkMode,
            ContainerName = Opt("container_name", String),
            Environment = Opt("environment", KeyValues) ?? new Dictionary<string, string?>(),
            EnvFiles = node["env_file"] is { } envFiles ? ParseEnvFiles(envFiles, P("env_file")) : [],
            Labels = StringMap(node["labels"], P("labels")),
            Command = Opt("command", StringOrList),
            Entrypoint = Opt("entrypoint", StringOrList),
            User = Opt("user", String),
            GroupAdd = Opt("group_add", StringList) ?? [],
            CapAdd = Opt("cap_add", StringList) ?? [],
            CapDrop = Opt("cap_drop", StringList) ?? [],
            ReadOnly = OptValue("read_only", Bool) ?? false,
            SecurityOpt = Opt("security_opt", StringList) ?? [],
            Privileged = OptValue("privileged", Bool) ?? false,
            Init = OptValue("init", Bool),
            Restart = ParseRestart(node["restart"], P("restart")),
            Healthcheck = node["healthcheck"] is { } health ? ParseHealthcheck(health, P("healthcheck")) : null,
            Tmpfs = Opt("tmpfs", StringOrList) ?? [],
            Devices = Opt("devices", StringList) ?? [],
            ExtraHosts = node["extra_hosts"] is { } hosts ? KeyValues(hosts, P("extra_hosts")).Select(h => h.Value is null ? h.Key : $"{h.Key}:{h.Value}").ToList() : [],
            Hostname = Opt("hostname", String),
            WorkingDir = Opt("working_dir", String),
            StopGracePeriod = OptValue("stop_grace_period", Duration),
            StopSignal = Opt("stop_signal", String),
            ShmSize = OptValue("shm_size", ByteSize),
            MemLimit = OptValue("mem_limit", ByteSize),
            Cpus = OptValue("cpus", Number),
            PidsLimit = OptValue("pids_limit", Integer),
            Ulimits = node["ulimits"] is { } ulimits ? ParseUlimits(ulimits, P("ulimits")) : new Dictionary<string, UlimitDefinition>(),
            Sysctls = StringMap(node["sysctls"], P("sysctls")),
            Logging = node["logging"] is { } logging ? ParseLogging(logging, P("logging")) : null,
            Exceptions = node[ExceptionsKey] is { } exceptions ? ParseExceptions(exceptions, P(ExceptionsKey)) : new Dictionary<string, string>(),
            Checks = node[ChecksKey] is { } checks ? ParseChecks(checks, P(ChecksKey)) : [],
            Browser = node[BrowserKey] is { } browser ? ParseBrowser(browser, P(BrowserKey)) : null,
            Extensions = node.Entries.Where(e => ComposeKeys.IsExtension(e.Key.Value)).ToDictionary(e => e.Key.Value, e => e.Value),
        };
    }

    // Compose's values; building and timed refreshes are not supported (no service builds its image here).
    private static PullPolicy ParsePullPolicy(YNode node, string path) => String(node, path) switch
    {
        "always" => PullPolicy.Always,
        "missing" or "if_not_present" => PullPolicy.Missing,
        "never" => PullPolicy.Never,
        _ => throw Invalid(node, path, "always, missing, if_not_present or never (build, daily, weekly and every_<duration> are not supported)"),
    };

    private static IReadOnlyList<string> ParseProfiles(YNode? node, string path)
    {
        if (node is null)
        {
            return [];
        }

        var profiles = StringList(node, path);
        foreach (var profile in profiles)
        {
            if (!NamePattern().IsMatch(profile))
            {
                throw Invalid(node, path, "a list of profile names (letters, digits, '_', '.', '-')");
            }
        }

        return profiles;
    }

    private static IReadOnlyList<ServiceDependency> ParseDependsOn(YNode? node, string path)
    {
        switch (node)
        {
            case null or YScalar { IsNull: true }:
                return [];
            case YSequence list:
                return list.Items.Select((item, i) => new ServiceDependency(String(item, $"{path}[{i}]"), ServiceDependency.Started, true, false, item.Mark)).ToList();
            case YMapping map:
                var result = new List<ServiceDependency>();
                foreach (var (key, value) in map.Entries)
                {
                    var entryPath = $"{path}.{key.Value}";
                    var options = value is YScalar { IsNull: true } ? null : Mapping(value, entryPath);
                    if (options is not null)
                    {
                        CheckKeys(options, ComposeKeys.DependsOn, NoKeys, entryPath, null);
                    }

                    var condition = OptionalString(options?["condition"], $"{entryPath}.condition") ?? ServiceDependency.Started;
                    if (condition is not (ServiceDependency.Started or ServiceDependency.Healthy or ServiceDependency.CompletedSuccessfully))
                    {
                        throw Invalid(options!["condition"]!, $"{entryPath}.condition", "service_started, service_healthy or service_completed_successfully");
                    }

                    result.Add(new ServiceDependency(key.Value, condition,
                        options?["required"] is { } required ? Bool(required, $"{entryPath}.required") : true,
                        options?["restart"] is { } restart && Bool(restart, $"{entryPath}.restart"),
                        key.Mark));
                }

                return result;
            default:
                throw Invalid(node, path, "a list of service names or a mapping of service name to condition");
        }
    }

    private static IReadOnlyList<PortMapping> ParsePorts(YNode node, string path)
    {
        if (node is not YSequence list)
        {
            throw Invalid(node, path, "a list of ports");
        }

        var result = new List<PortMapping>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            var itemPath = $"{path}[{i}]";
            if (item is YMapping map)
            {
                CheckKeys(map, ComposeKeys.PortLong, NoKeys, itemPath, null);
                var target = map["target"] ?? throw Invalid(map, itemPath, "a port mapping with a 'target'");
                result.Add(new PortMapping(OptionalString(map["host_ip"], $"{itemPath}.host_ip") ?? string.Empty,
                    OptionalString(map["published"], $"{itemPath}.published"), CheckPort(target, $"{itemPath}.target", String(target, $"{itemPath}.target")),
                    OptionalString(map["protocol"], $"{itemPath}.protocol") ?? "tcp"));
                continue;
            }

            result.Add(ParseShortPort(item, itemPath));
        }

        return result;
    }

    // "80", "8080:80", "127.0.0.1:8080:80", "127.0.0.1::80", "[::1]:8080:80", "53:53/udp", "8000-8010:8000-8010".
    private static PortMapping ParseShortPort(YNode item, string path)
    {
        var text = String(item, path);
        var protocol = "tcp";
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..];
            text = text[..slash];
        }

        var hostIp = string.Empty;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw Invalid(item, path, "a port such as \"[::1]:8080:80\"");
            }

            hostIp = text[1..close];
            text = text[(close + 2)..];
        }

        var parts = text.Split(':');
        string? published;
        string target;
        switch (parts.Length)
        {
            case 1:
                published = null;
                target = parts[0];
                break;
            case 2:
                published = parts[0];
                target = parts[1];
                break;
            case 3 when hostIp.Length == 0:
                hostIp = parts[0];
                published = parts[1];
                target = parts[2];
                break;
            default:
                throw Invalid(item, path, "a port such as \"80\", \"8080:80\" or \"127.0.0.1:8080:80\"");
        }

        if (published is not null && published.Length > 0)
        {
            CheckPort(item, path, published);
        }

        return new PortMapping(hostIp, string.IsNullOrEmpty(published) ? null : published, CheckPort(item, path, target), protocol);
    }

    private static string CheckPort(YNode node, string path, string port) =>
        PortPattern().IsMatch(port) ? port : throw Invalid(node, path, "a port number or range such as 80 or 8000-8010");

    private IReadOnlyList<VolumeMount> ParseMounts(YNode node, string path, IReadOnlyList<VolumeDefinition> volumes)
    {
        if (node is not YSequence list)
        {
            throw Invalid(node, path, "a list of volume mounts");
        }

        var result = new List<VolumeMount>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            var itemPath = $"{path}[{i}]";
            VolumeMount mount;
            if (item is YMapping map)
            {
                CheckKeys(map, ComposeKeys.VolumeLong, NoKeys, itemPath, null);
                var type = OptionalString(map["type"], $"{itemPath}.type") ?? "volume";
                if (type is not ("volume" or "bind" or "tmpfs"))
                {
                    throw Invalid(map["type"]!, $"{itemPath}.type", "volume, bind or tmpfs");
                }

                var target = String(map["target"] ?? throw Invalid(map, itemPath, "a mount with a 'target'"), $"{itemPath}.target");
                var source = OptionalString(map["source"], $"{itemPath}.source");
                mount = new VolumeMount(type, type == "bind" ? ResolveHostPath(source!) : source, target,
                    map["read_only"] is { } ro && Bool(ro, $"{itemPath}.read_only"), null);
            }
            else
            {
                mount = ParseShortMount(item, itemPath);
            }

            if (mount.Type == "volume" && mount.Source is not null && volumes.All(v => v.Key != mount.Source))
            {
                throw new DatamancyException(ErrorIds.UndefinedDependency, ErrorKind.InvalidData,
                    $"{item.Mark}: {itemPath} uses the volume '{mount.Source}', which is not declared under the top-level 'volumes:'{Suggestion.EndOfSentence(mount.Source, volumes.Select(v => v.Key))} Declare it there, or fix the name.", mount.Source);
            }

            result.Add(mount);
        }

        return result;
    }

    // "data:/var/lib/x", "./conf:/etc/x:ro", "/var/run/docker.sock:/var/run/docker.sock:ro", "/anonymous".
    private VolumeMount ParseShortMount(YNode item, string path)
    {
        var text = String(item, path);
        var parts = text.Split(':');
        if (parts.Length == 1)
        {
            return new VolumeMount("volume", null, parts[0], false, null);
        }

        if (parts.Length > 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw Invalid(item, path, "a mount such as \"data:/path\" or \"./dir:/path:ro\"");
        }

        var options = parts.Length == 3 ? parts[2] : null;
        var modes = options?.Split(',') ?? [];
        foreach (var mode in modes)
        {
            if (mode is not ("ro" or "rw" or "z" or "Z" or "shared" or "rshared" or "slave" or "rslave" or "private" or "rprivate" or "nocopy" or "cached" or "delegated" or "consistent"))
            {
                throw Invalid(item, path, "a mount whose options are among ro, rw, z, Z, nocopy and the propagation modes");
            }
        }

        var source = parts[0];
        var isBind = source[0] is '/' or '.' or '~';
        return new VolumeMount(isBind ? "bind" : "volume", isBind ? ResolveHostPath(source) : source, parts[1], modes.Contains("ro"), options);
    }

    private string ResolveHostPath(string source)
    {
        if (source.StartsWith('~'))
        {
            source = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile) + source[1..];
        }

        return Path.GetFullPath(Path.Combine(_directory, source));
    }

    private static IReadOnlyList<ServiceNetwork> ParseServiceNetworks(YNode? node, string path, IReadOnlyList<NetworkDefinition> networks, string? networkMode)
    {
        List<ServiceNetwork> result;
        switch (node)
        {
            case null or YScalar { IsNull: true }:
                return networkMode is null ? [new ServiceNetwork("default", [], null)] : [];
            case YSequence list:
                result = list.Items.Select((item, i) => new ServiceNetwork(String(item, $"{path}[{i}]"), [], null)).ToList();
                break;
            case YMapping map:
                result = [];
                foreach (var (key, value) in map.Entries)
                {
                    var entryPath = $"{path}.{key.Value}";
                    var options = value is YScalar { IsNull: true } ? null : Mapping(value, entryPath);
                    if (options is not null)
                    {
                        CheckKeys(options, ComposeKeys.ServiceNetwork, NoKeys, entryPath, null);
                    }

                    result.Add(new ServiceNetwork(key.Value,
                        options?["aliases"] is { } aliases ? StringList(aliases, $"{entryPath}.aliases") : [],
                        OptionalString(options?["ipv4_address"], $"{entryPath}.ipv4_address")));
                }

                break;
            default:
                throw Invalid(node, path, "a list of network names or a mapping of network name to options");
        }

        foreach (var network in result)
        {
            if (network.Name != "default" && networks.All(n => n.Key != network.Name))
            {
                throw new DatamancyException(ErrorIds.UndefinedDependency, ErrorKind.InvalidData,
                    $"{node.Mark}: {path} names the network '{network.Name}', which is not declared under the top-level 'networks:'{Suggestion.EndOfSentence(network.Name, networks.Select(n => n.Key))} Declare it there, or fix the name.", network.Name);
            }
        }

        return result;
    }

    private IReadOnlyList<string> ParseEnvFiles(YNode node, string path)
    {
        if (node is YSequence list)
        {
            return list.Items.Select((item, i) => item is YMapping map
                ? ResolveHostPath(String(map["path"] ?? throw Invalid(map, $"{path}[{i}]", "an env_file entry with a 'path'"), $"{path}[{i}].path"))
                : ResolveHostPath(String(item, $"{path}[{i}]"))).ToList();
        }

        return [ResolveHostPath(String(node, path))];
    }

    private static string? ParseRestart(YNode? node, string path)
    {
        var restart = OptionalString(node, path);
        if (restart is null)
        {
            return null;
        }

        var policy = restart.Split(':')[0];
        return policy is "no" or "always" or "on-failure" or "unless-stopped"
            ? restart
            : throw Invalid(node!, path, "no, always, on-failure[:N] or unless-stopped");
    }

    private static HealthcheckDefinition ParseHealthcheck(YNode node, string path)
    {
        var map = Mapping(node, path);
        CheckKeys(map, ComposeKeys.Healthcheck, NoKeys, path, null);
        IReadOnlyList<string>? test = map["test"] switch
        {
            null => null,
            YScalar scalar => ["CMD-SHELL", scalar.Value],
            YSequence list => StringList(list, $"{path}.test"),
            var other => throw Invalid(other, $"{path}.test", "a command string or a list such as [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]"),
        };
        if (test is { Count: > 0 } && test[0] is not ("CMD" or "CMD-SHELL" or "NONE"))
        {
            throw Invalid(map["test"]!, $"{path}.test", "a list starting with CMD, CMD-SHELL or NONE");
        }

        TimeSpan? D(string key) => map[key] is { } v ? Duration(v, $"{path}.{key}") : null;
        return new HealthcheckDefinition(test, D("interval"), D("timeout"),
            map["retries"] is { } retries ? (int)Integer(retries, $"{path}.retries") : null,
            D("start_period"),
            (map["disable"] is { } disable && Bool(disable, $"{path}.disable")) || test is ["NONE", ..]);
    }

    private static IReadOnlyDictionary<string, UlimitDefinition> ParseUlimits(YNode node, string path)
    {
        var result = new Dictionary<string, UlimitDefinition>(StringComparer.Ordinal);
        foreach (var (key, value) in Mapping(node, path).Entries)
        {
            var entryPath = $"{path}.{key.Value}";
            if (value is YMapping limits)
            {
                CheckKeys(limits, ComposeKeys.Ulimit, NoKeys, entryPath, null);
                result[key.Value] = new UlimitDefinition(
                    Integer(limits["soft"] ?? throw Invalid(limits, entryPath, "a mapping with soft and hard"), $"{entryPath}.soft"),
                    Integer(limits["hard"] ?? throw Invalid(limits, entryPath, "a mapping with soft and hard"), $"{entryPath}.hard"));
            }
            else
            {
                var single = Integer(value, entryPath);
                result[key.Value] = new UlimitDefinition(single, single);
            }
        }

        return result;
    }

    private static LoggingDefinition ParseLogging(YNode node, string path)
    {
        var map = Mapping(node, path);
        CheckKeys(map, ComposeKeys.Logging, NoKeys, path, null);
        return new LoggingDefinition(OptionalString(map["driver"], $"{path}.driver"), StringMap(map["options"], $"{path}.options"));
    }

    private static IReadOnlyDictionary<string, string> ParseExceptions(YNode node, string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Mapping(node, path).Entries)
        {
            if (!ExceptionKinds.Contains(key.Value))
            {
                throw new DatamancyException(ErrorIds.UnknownKey, ErrorKind.InvalidData,
                    $"{key.Mark}: '{key.Value}' in {path} is not an exception kind{Suggestion.EndOfSentence(key.Value, ExceptionKinds)} The kinds are: {string.Join(", ", ExceptionKinds.Order())}.", key.Value);
            }

            var reason = String(value, $"{path}.{key.Value}");
            if (string.IsNullOrWhiteSpace(reason))
            {
                throw Invalid(value, $"{path}.{key.Value}", "the reason for the exception, as a sentence");
            }

            result[key.Value] = reason;
        }

        return result;
    }

    private static IReadOnlyList<HttpCheckDefinition> ParseChecks(YNode node, string path)
    {
        if (node is not YSequence list)
        {
            throw Invalid(node, path, "a list of checks such as {path: /, status: 200, contains: 'text'}");
        }

        return list.Items.Select((item, i) =>
        {
            var itemPath = $"{path}[{i}]";
            var map = Mapping(item, itemPath);
            CheckKeys(map, ComposeKeys.Check, NoKeys, itemPath, null);
            var checkPath = OptionalString(map["path"], $"{itemPath}.path") ?? "/";
            if (!checkPath.StartsWith('/'))
            {
                throw Invalid(map["path"]!, $"{itemPath}.path", "a path starting with '/'");
            }

            var status = map["status"] is { } s ? (int)Integer(s, $"{itemPath}.status") : 200;
            return new HttpCheckDefinition(checkPath, status, OptionalString(map["contains"], $"{itemPath}.contains"), map.Mark);
        }).ToList();
    }

    private static BrowserExpectation ParseBrowser(YNode node, string path)
    {
        var map = Mapping(node, path);
        CheckKeys(map, ComposeKeys.Browser, NoKeys, path, null);
        string? Text(string key) => map[key] is { } value
            ? (OptionalString(value, $"{path}.{key}") is { Length: > 0 } text ? text : throw Invalid(value, $"{path}.{key}", "a non-empty string"))
            : null;
        return new BrowserExpectation(Text("title"), Text("selector"), map.Mark);
    }

    private static IReadOnlyList<NetworkDefinition> ParseNetworks(YNode? node, string project)
    {
        var result = new List<NetworkDefinition>();
        if (node is not null and not YScalar { IsNull: true })
        {
            foreach (var (key, value) in Mapping(node, "networks").Entries)
            {
                CheckName(key, "network");
                var path = $"networks.{key.Value}";
                var map = value is YScalar { IsNull: true } ? null : Mapping(value, path);
                if (map is not null)
                {
                    CheckKeys(map, ComposeKeys.Network, NoKeys, path, null);
                }

                var external = map?["external"] is { } ext && Bool(ext, $"{path}.external");
                result.Add(new NetworkDefinition(key.Value,
                    OptionalString(map?["name"], $"{path}.name") ?? (external ? key.Value : $"{project}_{key.Value}"),
                    OptionalString(map?["driver"], $"{path}.driver") ?? "bridge",
                    map?["internal"] is { } internalNode && Bool(internalNode, $"{path}.internal"),
                    external,
                    map?["attachable"] is { } attachable && Bool(attachable, $"{path}.attachable"),
                    StringMap(map?["labels"], $"{path}.labels"),
                    StringMap(map?["driver_opts"], $"{path}.driver_opts")));
            }
        }

        if (result.All(n => n.Key != "default"))
        {
            result.Add(new NetworkDefinition("default", $"{project}_default", "bridge", false, false, false,
                new Dictionary<string, string>(), new Dictionary<string, string>()));
        }

        return result;
    }

    private static IReadOnlyList<VolumeDefinition> ParseVolumes(YNode? node, string project)
    {
        var result = new List<VolumeDefinition>();
        if (node is null or YScalar { IsNull: true })
        {
            return result;
        }

        foreach (var (key, value) in Mapping(node, "volumes").Entries)
        {
            CheckName(key, "volume");
            var path = $"volumes.{key.Value}";
            var map = value is YScalar { IsNull: true } ? null : Mapping(value, path);
            if (map is not null)
            {
                CheckKeys(map, ComposeKeys.Volume, NoKeys, path, null);
            }

            var external = map?["external"] is { } ext && Bool(ext, $"{path}.external");
            result.Add(new VolumeDefinition(key.Value,
                OptionalString(map?["name"], $"{path}.name") ?? (external ? key.Value : $"{project}_{key.Value}"),
                OptionalString(map?["driver"], $"{path}.driver") ?? "local",
                external,
                StringMap(map?["labels"], $"{path}.labels"),
                StringMap(map?["driver_opts"], $"{path}.driver_opts")));
        }

        return result;
    }

    private static void CheckDependencies(IReadOnlyList<ServiceDefinition> services)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var service in services)
        {
            foreach (var dependency in service.DependsOn.Where(d => d.Required && !byName.ContainsKey(d.Service)))
            {
                throw new DatamancyException(ErrorIds.UndefinedDependency, ErrorKind.InvalidData,
                    $"{dependency.Mark}: service '{service.Name}' depends on '{dependency.Service}', which is not a service of this stack{Suggestion.EndOfSentence(dependency.Service, byName.Keys)} Fix the name, or add 'required: false'.",
                    service.Name);
            }
        }

        var cycle = DependencyGraph.FindCycle(services);
        if (cycle is not null)
        {
            var first = byName[cycle[0]];
            throw new DatamancyException(ErrorIds.DependencyCycle, ErrorKind.InvalidData,
                $"{first.Mark}: depends_on forms a cycle: {string.Join(" -> ", cycle)}. Remove one of these dependencies.", cycle[0]);
        }
    }

    private static void CheckKeys(YMapping map, IReadOnlySet<string> supported, IReadOnlySet<string> unsupported, string where, string? service)
    {
        foreach (var (key, _) in map.Entries)
        {
            var name = key.Value;
            if (supported.Contains(name) || ComposeKeys.IsExtension(name))
            {
                continue;
            }

            var target = service ?? where;
            if (unsupported.Contains(name))
            {
                throw new DatamancyException(ErrorIds.UnsupportedKey, ErrorKind.InvalidData,
                    $"{key.Mark}: '{name}' in {where} is a compose key that Datamancy does not support; remove it or express it with the supported keys (see about_Datamancy).", target);
            }

            var advice = Suggestion.Closest(name, supported) is { } closest
                ? $"did you mean '{closest}'?"
                : $"check its spelling and place (supported here: {string.Join(", ", supported.Order())}).";
            throw new DatamancyException(ErrorIds.UnknownKey, ErrorKind.InvalidData, $"{key.Mark}: unknown key '{name}' in {where}; {advice}", target);
        }
    }

    private static void CheckName(YScalar key, string what)
    {
        if (!NamePattern().IsMatch(key.Value))
        {
            throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidData,
                $"{key.Mark}: '{key.Value}' is not a valid {what} name; use letters, digits, '_', '.' and '-', starting with a letter or digit.", key.Value);
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\d{1,5}(-\d{1,5})?$")]
    private static partial Regex PortPattern();
}
