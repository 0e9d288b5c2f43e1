// The engine models are annotated non-nullable, but null is how a request says "not set".
#pragma warning disable CS8601, CS8625

using System.Globalization;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Docker.DotNet.Models;

namespace Datamancy.Engine;

/// <summary>Turns a resolved service into the engine's create-container request, key by key.</summary>
public static class ContainerSpecBuilder
{
    public static string ContainerName(StackDefinition stack, ServiceDefinition service) => ContainerName(stack.ProjectName, service.Name);

    /// <summary>The one container name of a service, as Compose names the first replica.</summary>
    public static string ContainerName(string project, string service) => $"{project}-{service}-1";

    /// <param name="imageReference">The name the container is created from (default: the service's image); it must resolve to <paramref name="imageId"/>.</param>
    public static CreateContainerParameters Build(StackDefinition stack, ServiceDefinition service, string imageId, Func<string, string?> environment,
        string? imageReference = null)
    {
        var networks = service.Networks.Select(n => (Network: stack.Networks.Single(d => d.Key == n.Name), Service: n)).ToList();
        var first = networks.FirstOrDefault();
        return new CreateContainerParameters
        {
            Name = ContainerName(stack, service),
            Image = imageReference ?? service.Image,
            Hostname = service.Hostname,
            User = service.User,
            Env = Environment(service, environment),
            Cmd = service.Command is { } command ? ShellWords.Expand(command) : null,
            Entrypoint = service.Entrypoint is { } entrypoint ? ShellWords.Expand(entrypoint) : null,
            WorkingDir = service.WorkingDir,
            Labels = Labels(stack, service, imageId),
            ExposedPorts = service.Ports.SelectMany(p => ExpandRange(p.Target).Select(t => $"{t}/{p.Protocol}"))
                .Concat(service.Expose.SelectMany(ExpandRange).Select(p => p.Contains('/') ? p : p + "/tcp"))
                .Distinct().ToDictionary(p => p, _ => new EmptyStruct()),
            Healthcheck = Healthcheck(service.Healthcheck),
            StopSignal = service.StopSignal,
            StopTimeout = service.StopGracePeriod,
            HostConfig = HostConfig(stack, service, first.Network?.Name),
            NetworkingConfig = first.Network is null ? null : new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings> { [first.Network.Name] = Endpoint(service, first.Service) },
            },
        };
    }

    /// <summary>The networks to connect after create (Engine before API 1.44 takes one network at create).</summary>
    public static IEnumerable<(string Network, EndpointSettings Endpoint)> AdditionalNetworks(StackDefinition stack, ServiceDefinition service) =>
        service.Networks.Skip(1).Select(n => (stack.Networks.Single(d => d.Key == n.Name).Name, Endpoint(service, n)));

    private static EndpointSettings Endpoint(ServiceDefinition service, ServiceNetwork network) => new()
    {
        Aliases = [service.Name, .. network.Aliases],
        IPAMConfig = network.Ipv4Address is null ? null : new EndpointIPAMConfig { IPv4Address = network.Ipv4Address },
    };

    internal static List<string> Environment(ServiceDefinition service, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in service.EnvFiles)
        {
            foreach (var (key, value) in DotEnvFile.Parse(file, File.ReadAllText(file), environment))
            {
                values[key] = value;
            }
        }

        foreach (var (key, value) in service.Environment)
        {
            // KEY without a value takes the host's value, and is left out when the host has none (as Compose does).
            if ((value ?? environment(key)) is { } resolved)
            {
                values[key] = resolved;
            }
        }

        return values.Select(p => $"{p.Key}={p.Value}").ToList();
    }

    private static Dictionary<string, string> Labels(StackDefinition stack, ServiceDefinition service, string imageId)
    {
        var labels = new Dictionary<string, string>(service.Labels, StringComparer.Ordinal)
        {
            [ComposeLabels.Project] = stack.ProjectName,
            [ComposeLabels.Service] = service.Name,
            [ComposeLabels.Version] = ComposeLabels.ComposeVersionValue,
            [ComposeLabels.WorkingDir] = stack.Directory,
            [ComposeLabels.ConfigFiles] = stack.ComposeFile,
            [ComposeLabels.OneOff] = "False",
            [ComposeLabels.ContainerNumber] = "1",
            [ComposeLabels.ConfigHash] = ServiceHasher.ConfigHash(service),
            [ComposeLabels.DependsOn] = string.Join(',', service.DependsOn.Select(d => $"{d.Service}:{d.Condition}:{(d.Restart ? "true" : "false")}")),
            [ComposeLabels.Image] = imageId,
            [ComposeLabels.Fingerprint] = ServiceHasher.ContainerFingerprint(service, imageId),
        };
        if (stack.EnvFile is not null)
        {
            labels[ComposeLabels.EnvironmentFile] = stack.EnvFile;
        }

        return labels;
    }

    internal static HealthcheckConfig? Healthcheck(HealthcheckDefinition? health) => health switch
    {
        null => null,
        { Disable: true } => new HealthcheckConfig { Test = ["NONE"] },
        _ => new HealthcheckConfig
        {
            Test = health.Test?.ToList(),
            Interval = health.Interval,
            Timeout = health.Timeout,
            StartPeriod = health.StartPeriod,
            Retries = health.Retries,
        },
    };

    private static HostConfig HostConfig(StackDefinition stack, ServiceDefinition service, string? firstNetwork) => new()
    {
        NetworkMode = service.NetworkMode ?? firstNetwork,
        PortBindings = service.Ports
            .SelectMany(p => PortPairs(p).Select(pair => (Key: $"{pair.Target}/{p.Protocol}", Binding: new PortBinding { HostIP = p.HostIp, HostPort = pair.Published ?? string.Empty })))
            .GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => (IList<PortBinding>)g.Select(x => x.Binding).ToList()),
        Mounts = service.Volumes.Select(v => Mount(stack, v)).ToList(),
        Tmpfs = service.Tmpfs.ToDictionary(t => t.Split(':', 2)[0], t => t.Contains(':') ? t.Split(':', 2)[1] : string.Empty),
        CapAdd = service.CapAdd.ToList(),
        CapDrop = service.CapDrop.ToList(),
        ReadonlyRootfs = service.ReadOnly,
        SecurityOpt = service.SecurityOpt.ToList(),
        Privileged = service.Privileged,
        Init = service.Init,
        RestartPolicy = Restart(service.Restart),
        Devices = service.Devices.Select(Device).ToList(),
        ExtraHosts = service.ExtraHosts.ToList(),
        GroupAdd = service.GroupAdd.ToList(),
        ShmSize = service.ShmSize ?? 0,
        Memory = service.MemLimit ?? 0,
        NanoCPUs = service.Cpus is { } cpus ? (long)(cpus * 1e9) : 0,
        PidsLimit = service.PidsLimit,
        Ulimits = service.Ulimits.Select(u => new Ulimit { Name = u.Key, Soft = u.Value.Soft, Hard = u.Value.Hard }).ToList(),
        Sysctls = service.Sysctls.ToDictionary(),
        LogConfig = service.Logging is { } logging ? new LogConfig { Type = logging.Driver ?? "json-file", Config = logging.Options.ToDictionary() } : null,
    };

    private static Mount Mount(StackDefinition stack, VolumeMount volume) => volume.Type switch
    {
        "bind" => new Mount { Type = "bind", Source = volume.Source, Target = volume.Target, ReadOnly = volume.ReadOnly },
        "tmpfs" => new Mount { Type = "tmpfs", Target = volume.Target },
        _ => new Mount
        {
            Type = "volume",
            Source = volume.Source is null ? null : stack.Volumes.Single(v => v.Key == volume.Source).Name,
            Target = volume.Target,
            ReadOnly = volume.ReadOnly,
            VolumeOptions = volume.Options?.Split(',').Contains("nocopy") == true ? new VolumeOptions { NoCopy = true } : null,
        },
    };

    private static RestartPolicy Restart(string? restart)
    {
        var parts = (restart ?? "no").Split(':');
        return new RestartPolicy
        {
            Name = parts[0] switch
            {
                "always" => RestartPolicyKind.Always,
                "unless-stopped" => RestartPolicyKind.UnlessStopped,
                "on-failure" => RestartPolicyKind.OnFailure,
                _ => RestartPolicyKind.No,
            },
            MaximumRetryCount = parts.Length > 1 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : 0,
        };
    }

    private static DeviceMapping Device(string device)
    {
        var parts = device.Split(':');
        return new DeviceMapping
        {
            PathOnHost = parts[0],
            PathInContainer = parts.Length > 1 ? parts[1] : parts[0],
            CgroupPermissions = parts.Length > 2 ? parts[2] : "rwm",
        };
    }

    internal static IEnumerable<(string Target, string? Published)> PortPairs(PortMapping port)
    {
        var targets = ExpandRange(port.Target).ToList();
        var published = port.Published is null ? null : ExpandRange(port.Published).ToList();
        return targets.Select((t, i) => (t, published is null ? null : published.Count == targets.Count ? published[i] : published[0]));
    }

    private static IEnumerable<string> ExpandRange(string port)
    {
        var slash = port.IndexOf('/');
        var suffix = slash >= 0 ? port[slash..] : string.Empty;
        var body = slash >= 0 ? port[..slash] : port;
        var dash = body.IndexOf('-');
        if (dash < 0)
        {
            return [port];
        }

        var from = int.Parse(body[..dash], CultureInfo.InvariantCulture);
        var to = int.Parse(body[(dash + 1)..], CultureInfo.InvariantCulture);
        return Enumerable.Range(from, to - from + 1).Select(p => p.ToString(CultureInfo.InvariantCulture) + suffix);
    }
}
