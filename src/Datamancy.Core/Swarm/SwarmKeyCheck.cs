using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Swarm;

/// <summary>
/// The compose keys a ServiceSpec cannot express (moby api/types/swarm/container.go has no Privileged,
/// Devices, NetworkMode, ShmSize or container name; security_opt maps only to Privileges). Each one is
/// refused with the service and the key, unless the service documents it in x-datamancy-exceptions
/// as <c>swarm:&lt;key&gt;</c>, which turns the refusal into a warning and leaves the key out.
/// </summary>
public static class SwarmKeyCheck
{
    public const string ExceptionPrefix = "swarm:";

    /// <summary>The security_opt values ServiceSpecBuilder maps onto Privileges.</summary>
    public static bool IsMappedSecurityOpt(string option) =>
        option is "no-new-privileges" or "no-new-privileges:true" or "no-new-privileges=true" or "no-new-privileges:false" or "no-new-privileges=false";

    /// <summary>The keys of <paramref name="service"/> that a swarm service cannot carry, in the order they are checked.</summary>
    public static IReadOnlyList<string> Unexpressible(ServiceDefinition service)
    {
        var keys = new List<string>();
        if (service.Privileged)
        {
            keys.Add("privileged");
        }

        if (service.Devices.Count > 0)
        {
            keys.Add("devices");
        }

        if (service.NetworkMode is not null)
        {
            keys.Add("network_mode");
        }

        if (service.ShmSize is not null)
        {
            keys.Add("shm_size");
        }

        if (service.ContainerName is not null)
        {
            keys.Add("container_name");
        }

        if (service.SecurityOpt.Any(o => !IsMappedSecurityOpt(o)))
        {
            keys.Add("security_opt");
        }

        // A port bound to one address (127.0.0.1 above all) would be published on every address of the node.
        if (BoundPorts(service).Count > 0)
        {
            keys.Add("ports");
        }

        return keys;
    }

    /// <summary>Throws SwarmKeyUnsupported for the first undocumented key; reports documented ones and lossy mappings as warnings.</summary>
    public static void Check(StackDefinition stack, ServiceDefinition service, Action<string> warn)
    {
        foreach (var key in Unexpressible(service))
        {
            var bound = key == "ports" ? string.Join(", ", BoundPorts(service).Select(p => $"{p.HostIp}:{p.Published}:{p.Target}")) : string.Empty;
            if (service.Exceptions.TryGetValue(ExceptionPrefix + key, out var reason))
            {
                warn(key == "ports"
                    ? $"{service.Name}: {bound} are published on every address of the node that runs the task, not only on the address given (a swarm cannot bind one); documented: {reason}"
                    : $"{service.Name}: '{key}' is left out on the swarm (a swarm service cannot express it); documented: {reason}");
                continue;
            }

            throw new DatamancyException(ErrorIds.SwarmKeyUnsupported, ErrorKind.NotImplemented, key == "ports"
                ? $"{service.Mark}: service '{service.Name}' sets 'ports' bound to one address ({bound}), which a Docker Swarm service cannot express: the swarm would publish " +
                  $"them on every address of the node, open to the network. Publish them without the address if that is meant, or document it in x-datamancy-exceptions as '{ExceptionPrefix}ports: <reason>'."
                : $"{service.Mark}: service '{service.Name}' sets '{key}', which a Docker Swarm service cannot express. Remove it for the swarm, " +
                  $"or, if the service works without it, document that in its x-datamancy-exceptions as '{ExceptionPrefix}{key}: <reason>' to deploy it without the key.",
                service.Name);
        }

        var tmpfsOptions = service.Tmpfs.Where(t => t.Contains(':')).SelectMany(t => t.Split(':', 2)[1].Split(','))
            .Select(o => o.Split('=')[0]).Where(o => o is not ("size" or "mode" or "")).Distinct(StringComparer.Ordinal).ToList();
        if (tmpfsOptions.Count > 0)
        {
            warn($"{service.Name}: a swarm tmpfs takes only size and mode; {string.Join(", ", tmpfsOptions)} left out.");
        }

        var binds = service.Volumes.Where(v => v.Type == "bind" && !SwarmConfigFiles.IsConfig(stack, v)).Select(v => v.Source).ToList();
        if (binds.Count > 0)
        {
            warn($"{service.Name}: bind mounts ({string.Join(", ", binds)}) are read on the node that runs the task: the paths must exist there.");
        }
    }

    private static IReadOnlyList<PortMapping> BoundPorts(ServiceDefinition service) =>
        service.Ports.Where(p => !p.OnEveryAddress).ToList();
}
