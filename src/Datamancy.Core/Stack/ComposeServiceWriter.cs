using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Yaml;
using static Datamancy.Stack.StackExporter;

namespace Datamancy.Stack;

/// <summary>
/// One service of the model as a compose mapping for <see cref="StackExporter"/>. Every string
/// value passes through the secret mask, then gets its '$' doubled: the reader interpolates the
/// file again, and a value that held a literal '$' must keep it.
/// </summary>
internal sealed class ComposeServiceWriter(SecretMask mask, Func<string, string?> environment, IReadOnlySet<string> selected)
{
    public string Text(string value) => Escape(mask.Apply(value));

    public YamlMap Strings(IReadOnlyDictionary<string, string> values) => Map(values, p => p.Key, p => Text(p.Value));

    /// <summary>An x- extension value as written in the compose file (interpolated): plain scalars stay plain, so numbers stay numbers.</summary>
    public object? Node(YNode node) => node switch
    {
        YScalar { IsNull: true } => null,
        YScalar { IsPlain: true } scalar => new PlainScalar(Text(scalar.Value)),
        YScalar scalar => Text(scalar.Value),
        YSequence list => list.Items.Select(Node).ToList(),
        YMapping map => Map(map.Entries, e => e.Key.Value, e => Node(e.Value)),
        _ => throw new ArgumentException($"Unknown YAML node {node.KindName}.", nameof(node)),
    };

    public YamlMap Service(ServiceDefinition s)
    {
        var map = new YamlMap { { "image", Text(s.Image ?? string.Empty) } };
        Add(map, "profiles", s.Profiles.ToList());
        // A dependency on a service left out can only be one with required: false, which docker-compose 1.29 cannot say.
        var dependencies = s.DependsOn.Where(d => selected.Contains(d.Service)).ToList();
        if (dependencies.Count > 0)
        {
            map.Add("depends_on", Map(dependencies, d => d.Service, d => new YamlMap { { "condition", d.Condition } }));
        }

        AddText(map, "restart", s.Restart);
        AddText(map, "user", s.User);
        Add(map, "group_add", s.GroupAdd.Select(Text).ToList());
        AddCommand(map, "entrypoint", s.Entrypoint);
        AddCommand(map, "command", s.Command);
        AddText(map, "working_dir", s.WorkingDir);
        AddText(map, "hostname", s.Hostname);
        var environmentMap = Environment(s);
        if (environmentMap.Count > 0)
        {
            map.Add("environment", environmentMap);
        }

        Add(map, "ports", s.Ports.Select(Port).ToList());
        Add(map, "expose", s.Expose.Select(Text).ToList());
        Add(map, "volumes", s.Volumes.Select(Mount).ToList());
        Add(map, "tmpfs", s.Tmpfs.Select(Text).ToList());
        if (s.NetworkMode is not null)
        {
            map.Add("network_mode", Text(s.NetworkMode));
        }
        else if (s.Networks.Count > 0)
        {
            map.Add("networks", Map(s.Networks, n => n.Name, ServiceNetwork));
        }

        Add(map, "extra_hosts", s.ExtraHosts.Select(Text).ToList());
        Add(map, "cap_add", s.CapAdd.Select(Text).ToList());
        Add(map, "cap_drop", s.CapDrop.Select(Text).ToList());
        Add(map, "security_opt", s.SecurityOpt.Select(Text).ToList());
        Add(map, "devices", s.Devices.Select(Text).ToList());
        if (s.ReadOnly)
        {
            map.Add("read_only", true);
        }

        if (s.Privileged)
        {
            map.Add("privileged", true);
        }

        if (s.Init is { } init)
        {
            map.Add("init", init);
        }

        if (s.Labels.Count > 0)
        {
            map.Add("labels", Strings(s.Labels));
        }

        if (s.Sysctls.Count > 0)
        {
            map.Add("sysctls", Strings(s.Sysctls));
        }

        if (s.Ulimits.Count > 0)
        {
            map.Add("ulimits", Map(s.Ulimits, u => u.Key, u => new YamlMap { { "soft", u.Value.Soft }, { "hard", u.Value.Hard } }));
        }

        AddValue(map, "shm_size", s.ShmSize);
        AddValue(map, "mem_limit", s.MemLimit);
        AddValue(map, "cpus", s.Cpus);
        AddValue(map, "pids_limit", s.PidsLimit);
        if (s.StopGracePeriod is { } grace)
        {
            map.Add("stop_grace_period", Duration(grace));
        }

        AddText(map, "stop_signal", s.StopSignal);
        if (s.Healthcheck is { } health)
        {
            map.Add("healthcheck", Healthcheck(health));
        }

        if (s.Logging is { } logging)
        {
            var log = new YamlMap();
            AddText(log, "driver", logging.Driver);
            if (logging.Options.Count > 0)
            {
                log.Add("options", Strings(logging.Options));
            }

            map.Add("logging", log);
        }

        foreach (var (key, value) in s.Extensions)
        {
            map.Add(key, Node(value));
        }

        return map;
    }

    // env_file first, then environment over it, as Compose merges them; a key without a value stays null (the host's value at run time).
    private YamlMap Environment(ServiceDefinition s)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var order = new List<string>();
        void Set(string key, string? value)
        {
            if (!values.ContainsKey(key))
            {
                order.Add(key);
            }

            values[key] = value;
        }

        foreach (var file in s.EnvFiles)
        {
            foreach (var (key, value) in ReadEnvFile(s, file))
            {
                Set(key, value);
            }
        }

        foreach (var (key, value) in s.Environment)
        {
            Set(key, value);
        }

        return Map(order, key => key, key => values[key] is { } value ? Escape(mask.EnvironmentValue(key, value)) : null);
    }

    private IReadOnlyDictionary<string, string> ReadEnvFile(ServiceDefinition s, string file)
    {
        try
        {
            return DotEnvFile.Parse(file, File.ReadAllText(file), environment);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DatamancyException(ErrorIds.ConfigUnreadable, ErrorKind.ResourceUnavailable,
                $"{s.Mark}: service '{s.Name}' reads the env_file '{file}', which cannot be read ({exception.Message}); create it or remove it from env_file.", file, exception);
        }
    }

    // One string is split into words by Compose and by the engine alike; a list is taken as it is.
    private void AddCommand(YamlMap map, string key, IReadOnlyList<string>? command)
    {
        if (command is not null)
        {
            map.Add(key, command.Count == 1 ? Text(command[0]) : command.Select(Text).ToList());
        }
    }

    // "[host_ip:][published:]target/protocol": the long form's host_ip is unknown to docker-compose 1.29.
    private string Port(PortMapping port)
    {
        var host = port.HostIp.Contains(':') ? $"[{port.HostIp}]" : port.HostIp;
        var mapping = host.Length > 0 ? $"{host}:{port.Published}:{port.Target}"
            : port.Published is not null ? $"{port.Published}:{port.Target}"
            : port.Target;
        return Text($"{mapping}/{port.Protocol}");
    }

    // The long form, except when the short form carries options the model keeps only as text (z, nocopy, propagation).
    private object Mount(VolumeMount mount)
    {
        if (mount.Options is { } options && options.Split(',').Any(o => o is not ("ro" or "rw")))
        {
            return Text($"{mount.Source}:{mount.Target}:{options}");
        }

        var map = new YamlMap { { "type", mount.Type } };
        if (mount.Source is not null)
        {
            map.Add("source", Text(mount.Source));
        }

        map.Add("target", Text(mount.Target));
        if (mount.ReadOnly)
        {
            map.Add("read_only", true);
        }

        return map;
    }

    private YamlMap? ServiceNetwork(ServiceNetwork network)
    {
        if (network.Aliases.Count == 0 && network.Ipv4Address is null)
        {
            return null;
        }

        var map = new YamlMap();
        Add(map, "aliases", network.Aliases.Select(Text).ToList());
        AddText(map, "ipv4_address", network.Ipv4Address);
        return map;
    }

    private YamlMap Healthcheck(HealthcheckDefinition health)
    {
        var map = new YamlMap();
        if (health.Test is { } test)
        {
            map.Add("test", test.Select(Text).ToList());
        }

        foreach (var (key, value) in new[] { ("interval", health.Interval), ("timeout", health.Timeout) })
        {
            if (value is { } span)
            {
                map.Add(key, Duration(span));
            }
        }

        AddValue(map, "retries", health.Retries);
        if (health.StartPeriod is { } start)
        {
            map.Add("start_period", Duration(start));
        }

        if (health.Disable && health.Test is not ["NONE", ..])
        {
            map.Add("disable", true);
        }

        return map;
    }

    private void AddText(YamlMap map, string key, string? value)
    {
        if (value is not null)
        {
            map.Add(key, Text(value));
        }
    }

    private static void Add<T>(YamlMap map, string key, List<T> values)
    {
        if (values.Count > 0)
        {
            map.Add(key, values);
        }
    }

    private static void AddValue<T>(YamlMap map, string key, T? value) where T : struct
    {
        if (value is { } present)
        {
            map.Add(key, present);
        }
    }

    private static string Escape(string value) => value.Replace("$", "$$", StringComparison.Ordinal);
}
