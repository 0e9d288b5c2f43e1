// The engine models are annotated non-nullable, but null is how a request says "not set".
#pragma warning disable CS8601, CS8625

using System.Globalization;
using System.Text.Json;
using Datamancy.Engine;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Datamancy.Yaml;
using Docker.DotNet.Models;

namespace Datamancy.Swarm;

/// <summary>
/// Turns a resolved compose service into a Docker Swarm ServiceSpec, key by key (the keys a swarm
/// cannot express are SwarmKeyCheck's). Published ports use host mode (the routing mesh hides the
/// client's address and needs IPVS); services with named volumes are pinned to the nodes labelled
/// datamancy.&lt;service&gt;=true, since a local volume lives on one node; updates roll back on failure,
/// watched for longer than the healthcheck needs to fail.
/// </summary>
public static class ServiceSpecBuilder
{
    private static readonly TimeSpan UnknownHealthWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MonitorMargin = TimeSpan.FromSeconds(5);

    /// <param name="image">The image reference pinned to its digest (name@sha256:...), so that every node runs the same bytes.</param>
    /// <param name="secrets">The service's environment keys fed by .env secrets (SwarmSecrets): each secret is mounted, a key read as a file becomes KEY_FILE.</param>
    public static ServiceSpec Build(StackDefinition stack, ServiceDefinition service, string image, SwarmSettings settings, Func<string, string?> environment,
        IReadOnlyList<SwarmSecretUse>? secrets = null)
    {
        var spec = new ServiceSpec
        {
            Name = SwarmLabels.ServiceName(stack.ProjectName, service.Name),
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [SwarmLabels.Namespace] = stack.ProjectName,
                [SwarmLabels.Image] = service.Image!,
                [SwarmLabels.Service] = service.Name,
            },
            TaskTemplate = new TaskSpec
            {
                ContainerSpec = Container(stack, service, image, environment, secrets ?? []),
                RestartPolicy = Restart(service),
                Placement = HasNamedVolume(service) ? new Placement { Constraints = [SwarmLabels.PlacementConstraint(service.Name)] } : null,
                Networks = service.Networks.Select(n => new NetworkAttachmentConfig
                {
                    Target = stack.Networks.Single(d => d.Key == n.Name).Name,
                    Aliases = [service.Name, .. n.Aliases],
                }).ToList(),
                LogDriver = service.Logging is { } logging ? new SwarmDriver { Name = logging.Driver ?? "json-file", Options = Sorted(logging.Options) } : null,
                Resources = Resources(service),
            },
            Mode = service.IsJob
                ? new ServiceMode { ReplicatedJob = new ReplicatedJob { MaxConcurrent = 1, TotalCompletions = 1 } }
                : new ServiceMode { Replicated = new ReplicatedService { Replicas = 1 } },
            EndpointSpec = new EndpointSpec { Mode = settings.EndpointMode, Ports = Ports(service) },
        };
        if (!service.IsJob)
        {
            spec.UpdateConfig = Rollout(service, "rollback");
            spec.RollbackConfig = Rollout(service, "pause");
        }

        spec.Labels[SwarmLabels.SpecHash] = Hash(spec);
        return spec;
    }

    /// <summary>sha256 of the spec as JSON (its own hash label left out): equal specs, equal hashes.</summary>
    public static string Hash(ServiceSpec spec)
    {
        var labels = spec.Labels;
        spec.Labels = new SortedDictionary<string, string>(labels.Where(l => l.Key != SwarmLabels.SpecHash).ToDictionary(), StringComparer.Ordinal);
        try
        {
            return ServiceHasher.Sha256Hex(JsonSerializer.Serialize(spec));
        }
        finally
        {
            spec.Labels = labels;
        }
    }

    /// <summary>How long the swarm watches a new task for failure: longer than its healthcheck takes to fail.</summary>
    public static TimeSpan Monitor(ServiceDefinition service)
    {
        var window = service.Healthcheck is { Disable: false } health
            ? (health.StartPeriod ?? TimeSpan.Zero) + ((health.Interval ?? TimeSpan.FromSeconds(30)) * (health.Retries ?? 3)) + (health.Timeout ?? TimeSpan.FromSeconds(30))
            : UnknownHealthWindow;
        return window + MonitorMargin;
    }

    public static bool HasNamedVolume(ServiceDefinition service) => service.Volumes.Any(v => v.Type == "volume" && v.Source is not null);

    private static ContainerSpec Container(StackDefinition stack, ServiceDefinition service, string image, Func<string, string?> environment,
        IReadOnlyList<SwarmSecretUse> secrets) => new()
    {
        Image = image,
        Labels = new SortedDictionary<string, string>(service.Labels.ToDictionary(), StringComparer.Ordinal) { [SwarmLabels.Namespace] = stack.ProjectName },
        Command = service.Entrypoint is { } entrypoint ? ShellWords.Expand(entrypoint) : null,
        Args = service.Command is { } command ? ShellWords.Expand(command) : null,
        Hostname = service.Hostname,
        Env = Environment(service, environment, secrets),
        Dir = service.WorkingDir,
        User = service.User,
        Groups = service.GroupAdd.Count > 0 ? service.GroupAdd.ToList() : null,
        Privileges = service.SecurityOpt.Any(o => SwarmKeyCheck.IsMappedSecurityOpt(o) && !o.EndsWith("false", StringComparison.Ordinal))
            ? new Privileges { NoNewPrivileges = true }
            : null,
        Init = service.Init,
        StopSignal = service.StopSignal,
        ReadOnly = service.ReadOnly ? true : null,
        Mounts = service.Volumes.Where(v => !SwarmConfigFiles.IsConfig(stack, v)).Select(v => Mount(stack, v)).Concat(service.Tmpfs.Select(Tmpfs)).ToList(),
        // The config ids are filled in by the deployer once the configs exist; the spec hash covers their content-hashed names.
        Configs = SwarmConfigFiles.For(stack, service).Select(c => new SwarmConfigReference
        {
            ConfigName = c.Name,
            File = new ConfigReferenceFileTarget { Name = c.Target, UID = "0", GID = "0", Mode = 292 /* 0444 */ },
        }).ToList(),
        // The secret ids are filled in by the deployer too; the names carry the content's hash, so a new value updates the service.
        Secrets = secrets.Select(u => u.Secret).DistinctBy(s => s.Name).Select(s => new SecretReference
        {
            SecretName = s.Name,
            File = new SecretReferenceFileTarget { Name = s.Variable, UID = "0", GID = "0", Mode = 292 /* 0444 */ },
        }).ToList(),
        StopGracePeriod = service.StopGracePeriod,
        Healthcheck = ContainerSpecBuilder.Healthcheck(service.Healthcheck),
        Hosts = service.ExtraHosts.Count > 0 ? service.ExtraHosts.Select(Host).ToList() : null,
        Sysctls = service.Sysctls.Count > 0 ? Sorted(service.Sysctls) : null,
        CapabilityAdd = service.CapAdd.Count > 0 ? service.CapAdd.ToList() : null,
        CapabilityDrop = service.CapDrop.Count > 0 ? service.CapDrop.ToList() : null,
        Ulimits = service.Ulimits.Count > 0
            ? service.Ulimits.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => new Ulimit { Name = u.Key, Soft = u.Value.Soft, Hard = u.Value.Hard }).ToList()
            : null,
    };

    // A key read as a file gives way to KEY_FILE=/run/secrets/VAR, so the value stays out of the spec.
    private static List<string> Environment(ServiceDefinition service, Func<string, string?> environment, IReadOnlyList<SwarmSecretUse> secrets)
    {
        var files = secrets.Where(u => u.AsFile).ToDictionary(u => u.EnvKey, StringComparer.Ordinal);
        var env = ContainerSpecBuilder.Environment(service, environment).Where(e => !files.ContainsKey(e[..e.IndexOf('=')])).ToList();
        env.AddRange(files.Values.OrderBy(u => u.FileKey, StringComparer.Ordinal).Select(u => $"{u.FileKey}={u.Secret.Target}"));
        return env;
    }

    private static Mount Mount(StackDefinition stack, VolumeMount volume) => volume.Type switch
    {
        "bind" => new Mount { Type = "bind", Source = volume.Source, Target = volume.Target, ReadOnly = volume.ReadOnly },
        "tmpfs" => new Mount { Type = "tmpfs", Target = volume.Target },
        _ => Volume(stack, volume),
    };

    private static Mount Volume(StackDefinition stack, VolumeMount volume)
    {
        var definition = volume.Source is null ? null : stack.Volumes.Single(v => v.Key == volume.Source);
        return new Mount
        {
            Type = "volume",
            Source = definition?.Name,
            Target = volume.Target,
            ReadOnly = volume.ReadOnly,
            VolumeOptions = new VolumeOptions
            {
                NoCopy = volume.Options?.Split(',').Contains("nocopy") == true ? true : null,
                Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { [SwarmLabels.Namespace] = stack.ProjectName },
                DriverConfig = definition is { Driver: not ("local" or "") } ? new Driver { Name = definition.Driver, Options = Sorted(definition.DriverOptions) } : null,
            },
        };
    }

    // tmpfs: "/run" or "/run:size=64m,mode=1777" (the options Compose passes on; others are not expressible).
    private static Mount Tmpfs(string entry)
    {
        var parts = entry.Split(':', 2);
        var options = new TmpfsOptions();
        foreach (var option in parts.Length > 1 ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries) : [])
        {
            var (key, value) = option.Split('=', 2) is [var k, var v] ? (k, v) : (option, string.Empty);
            if (key == "size")
            {
                options.SizeBytes = NodeReader.ByteSize(new YScalar(default, value, true), "tmpfs.size");
            }
            else if (key == "mode")
            {
                options.Mode = Convert.ToUInt32(value, 8);
            }
        }

        return new Mount { Type = "tmpfs", Target = parts[0], TmpfsOptions = options.SizeBytes is null && options.Mode is null ? null : options };
    }

    // Compose writes "host:ip", a ContainerSpec "ip host".
    private static string Host(string entry)
    {
        var separator = entry.IndexOf(':');
        return separator < 0 ? entry : $"{entry[(separator + 1)..]} {entry[..separator]}";
    }

    private static SwarmRestartPolicy Restart(ServiceDefinition service)
    {
        var parts = (service.Restart ?? "always").Split(':');
        return parts[0] switch
        {
            "on-failure" => new SwarmRestartPolicy
            {
                Condition = "on-failure",
                MaxAttempts = parts.Length > 1 ? ulong.Parse(parts[1], CultureInfo.InvariantCulture) : null,
            },
            "no" => new SwarmRestartPolicy { Condition = "none" },
            _ => new SwarmRestartPolicy { Condition = "any" },
        };
    }

    private static ResourceRequirements? Resources(ServiceDefinition service) =>
        service.MemLimit is null && service.Cpus is null && service.PidsLimit is null ? null : new ResourceRequirements
        {
            Limits = new SwarmLimit
            {
                MemoryBytes = service.MemLimit,
                NanoCPUs = service.Cpus is { } cpus ? (long)(cpus * 1e9) : null,
                Pids = service.PidsLimit,
            },
        };

    private static SwarmUpdateConfig Rollout(ServiceDefinition service, string failureAction) => new()
    {
        Parallelism = 1,
        FailureAction = failureAction,
        Monitor = Monitor(service),
        // A stateful task keeps its volume: the old one stops before the new one starts on the same node.
        Order = "stop-first",
    };

    private static IList<PortConfig> Ports(ServiceDefinition service) =>
        service.Ports.SelectMany(p => ContainerSpecBuilder.PortPairs(p).Select(pair => new PortConfig
        {
            Protocol = p.Protocol,
            TargetPort = uint.Parse(pair.Target, CultureInfo.InvariantCulture),
            PublishedPort = pair.Published is { } published ? uint.Parse(published, CultureInfo.InvariantCulture) : null,
            PublishMode = "host",
        })).ToList();

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> values) =>
        new(values.ToDictionary(), StringComparer.Ordinal);
}
