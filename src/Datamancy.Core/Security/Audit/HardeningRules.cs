using Datamancy.Stack.Model;

namespace Datamancy.Security.Audit;

/// <summary>
/// The container hardening baseline: capabilities, user, privileged, host network, devices,
/// mounts and published ports. Applied to the compose file's services and, the same way, to the
/// running containers (see <see cref="LiveServices"/>), so a container that drifted is caught.
/// </summary>
internal static class HardeningRules
{
    // Capabilities that open a way out of the container or over the host.
    private static readonly HashSet<string> DangerousCapabilities = new(StringComparer.Ordinal)
    {
        "ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT", "SYS_TIME", "MAC_ADMIN", "MAC_OVERRIDE",
        "BPF", "PERFMON", "DAC_READ_SEARCH", "SYS_CHROOT", "SETFCAP",
    };

    /// <param name="service">The service as the compose file defines it, or as its container runs.</param>
    /// <param name="exceptions">The documented exceptions of the service (from the compose file, also for live containers).</param>
    public static void Check(ServiceDefinition service, IReadOnlyDictionary<string, string> exceptions, string stackDirectory,
        string source, string location, FindingSink sink)
    {
        var name = service.Name;
        if (!service.CapDrop.Any(c => Capability(c) == "ALL"))
        {
            sink.Add(SecurityRules.CapDropMissing, name,
                $"{name} keeps the engine's default capabilities: its cap_drop does not include ALL.", source, location, "cap_drop", exceptions);
        }

        var added = service.CapAdd.Select(Capability).Distinct().Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            var dangerous = added.Where(DangerousCapabilities.Contains).ToList();
            sink.Add(SecurityRules.CapAdded, name,
                $"{name} adds the {(added.Count == 1 ? "capability" : "capabilities")} {string.Join(", ", added)}{(dangerous.Count > 0 ? $" ({string.Join(", ", dangerous)} can reach beyond the container)" : string.Empty)}.",
                source, location, "cap_add:" + string.Join(",", added), exceptions, dangerous.Count > 0 ? SecuritySeverity.High : null);
        }

        if (IsRoot(service.User))
        {
            var how = string.IsNullOrWhiteSpace(service.User) ? "it sets no user, so it runs as the image's user, root for most images" : $"its user is '{service.User}'";
            sink.Add(SecurityRules.RootUser, name, $"{name} runs as root: {how}.", source, location, "user", exceptions);
        }

        if (service.Privileged)
        {
            sink.Add(SecurityRules.Privileged, name, $"{name} is privileged: it has every capability and every host device.", source, location, "privileged", exceptions);
        }

        if (service.NetworkMode == "host")
        {
            sink.Add(SecurityRules.HostNetwork, name, $"{name} shares the host's network stack (network_mode: host): every port it opens is open on the host.",
                source, location, "network_mode", exceptions);
        }

        if (service.Devices.Count > 0)
        {
            sink.Add(SecurityRules.Devices, name, $"{name} maps the host devices {string.Join(", ", service.Devices.Select(d => d.Split(':')[0]))}.",
                source, location, "devices", exceptions);
        }

        foreach (var mount in service.Volumes.Where(v => v.Type == "bind"))
        {
            CheckMount(name, mount, exceptions, stackDirectory, source, location, sink);
        }

        // Every entry of ports: is published; one without a host port gets an ephemeral one.
        foreach (var port in service.Ports)
        {
            CheckPort(service, port, source, location, sink);
        }
    }

    private static void CheckMount(string name, VolumeMount mount, IReadOnlyDictionary<string, string> exceptions, string stackDirectory,
        string source, string location, FindingSink sink)
    {
        if (ServiceKinds.IsEngineSocket(mount.Source))
        {
            var key = "socket:" + mount.Target;
            if (!mount.ReadOnly)
            {
                // Read-write is full control of the engine, hence of the host: no exception lowers it.
                sink.Add(SecurityRules.DockerSocket, name,
                    $"{name} mounts the engine socket {mount.Source} read-write at {mount.Target}: it controls every container and the host. The docker-socket exception covers read-only mounts only.",
                    source, location, key, exceptions, SecuritySeverity.Critical, exceptionAccepted: false);
            }
            else if (!ServiceKinds.SocketTools.Contains(name))
            {
                sink.Add(SecurityRules.DockerSocket, name,
                    $"{name} mounts the engine socket {mount.Source} at {mount.Target}; only {string.Join(", ", ServiceKinds.SocketTools.Order())} may, read-only.",
                    source, location, key, exceptions, exceptionAccepted: false);
            }
            else
            {
                sink.Add(SecurityRules.DockerSocket, name,
                    $"{name} mounts the engine socket {mount.Source} read-only at {mount.Target}{(exceptions.ContainsKey("docker-socket") ? string.Empty : " with no docker-socket exception documenting why")}.",
                    source, location, key, exceptions);
            }

            return;
        }

        if (mount.ReadOnly || mount.Source is null || !IsInside(mount.Source, stackDirectory))
        {
            return;
        }

        var whole = IsSame(mount.Source, stackDirectory);
        sink.Add(SecurityRules.WritableConfig, name,
            whole
                ? $"{name} mounts the whole stack folder read-write at {mount.Target}: it can change every service's configuration and read and rewrite .env."
                : $"{name} mounts {Path.GetRelativePath(stackDirectory, mount.Source)} from the stack folder read-write at {mount.Target}.",
            source, location, "mount:" + mount.Target, exceptions, whole ? SecuritySeverity.High : null);
    }

    private static void CheckPort(ServiceDefinition service, PortMapping port, string source, string location, FindingSink sink)
    {
        if (port.HostIp.Length > 0 && ServiceKinds.IsLoopback(port.HostIp))
        {
            return;
        }

        // Caddy is the front door: its 80 and 443 (TCP, and UDP for HTTP/3) are meant to face the network.
        if (ServiceKinds.Is(service, "caddy") && port.Published is "80" or "443")
        {
            return;
        }

        var host = port.OnEveryAddress ? "every interface" : port.HostIp;
        sink.Add(SecurityRules.PublishedPort, service.Name,
            $"{service.Name} publishes {port.Target}/{port.Protocol} on {host}{(port.Published is null ? " (an ephemeral port)" : $", port {port.Published}")}.",
            source, location, $"port:{(host == "every interface" ? "*" : host)}:{port.Target}/{port.Protocol}");
    }

    internal static bool IsRoot(string? user)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return true;
        }

        var uid = user.Split(':')[0].Trim();
        return uid is "0" or "root";
    }

    private static string Capability(string name)
    {
        var upper = name.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
    }

    private static bool IsInside(string path, string directory) =>
        IsSame(path, directory) || Normalize(path).StartsWith(Normalize(directory) + "/", StringComparison.Ordinal);

    private static bool IsSame(string path, string directory) => Normalize(path) == Normalize(directory);

    private static string Normalize(string path) => Path.GetFullPath(path).Replace('\\', '/').TrimEnd('/');
}
