using Datamancy.Engine;
using Datamancy.Stack.Model;
using Datamancy.Yaml;
using Docker.DotNet.Models;
using Datamancy.Reporting;

namespace Datamancy.Security.Audit;

/// <summary>A running container of the project, described in the compose model's terms so the same rules judge it.</summary>
public sealed record LiveService(ServiceDefinition Definition, string ContainerName);

/// <summary>Reads the project's running containers through inspect: what the engine actually applied (HostConfig, Config, Mounts).</summary>
public static class LiveServices
{
    public static async Task<IReadOnlyList<LiveService>> ReadAsync(IDockerEngine engine, string project, IReporter reporter, CancellationToken cancellationToken)
    {
        var containers = await ContainerObserver.ListAsync(engine, project, cancellationToken).ConfigureAwait(false);
        var result = new List<LiveService>();
        foreach (var container in containers.Values.Where(c => c.IsRunning).OrderBy(c => c.Service, StringComparer.Ordinal))
        {
            reporter.Progress(container.Service, "inspecting the running container");
            // A container removed since the list is no longer part of what runs.
            if (await engine.InspectContainerAsync(container.Id, cancellationToken).ConfigureAwait(false) is { } inspect)
            {
                result.Add(new LiveService(From(container.Service, inspect), container.Name));
            }
        }

        return result;
    }

    internal static ServiceDefinition From(string service, ContainerInspectResponse inspect)
    {
        var host = inspect.HostConfig ?? new HostConfig();
        var name = inspect.Name?.TrimStart('/') ?? service;
        return new ServiceDefinition
        {
            Name = service,
            Mark = new SourceMark($"container {name}", 0, 0),
            Image = inspect.Config?.Image,
            User = inspect.Config?.User,
            CapAdd = [.. host.CapAdd ?? []],
            CapDrop = [.. host.CapDrop ?? []],
            Privileged = host.Privileged,
            NetworkMode = host.NetworkMode,
            Devices = [.. (host.Devices ?? []).Select(d => $"{d.PathOnHost}:{d.PathInContainer}")],
            Volumes = [.. (inspect.Mounts ?? []).Select(m => new VolumeMount(m.Type ?? "volume", m.Source, m.Destination ?? string.Empty, !m.RW, null))],
            Ports = [.. Ports(host)],
            Labels = inspect.Config?.Labels is { } labels ? new Dictionary<string, string>(labels) : new Dictionary<string, string>(),
        };
    }

    // "8080/tcp" -> [{HostIP, HostPort}]: one mapping per binding; an empty HostPort is an ephemeral port.
    private static IEnumerable<PortMapping> Ports(HostConfig host)
    {
        foreach (var (port, bindings) in host.PortBindings ?? new Dictionary<string, IList<PortBinding>>())
        {
            var slash = port.IndexOf('/');
            var target = slash >= 0 ? port[..slash] : port;
            var protocol = slash >= 0 ? port[(slash + 1)..] : "tcp";
            foreach (var binding in bindings ?? [])
            {
                yield return new PortMapping(binding.HostIP ?? string.Empty, string.IsNullOrEmpty(binding.HostPort) ? null : binding.HostPort, target, protocol);
            }
        }
    }
}
