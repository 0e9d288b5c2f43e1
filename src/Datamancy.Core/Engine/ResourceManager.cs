using Datamancy.Stack.Model;
using Datamancy.Reporting;

namespace Datamancy.Engine;

/// <summary>The project's networks and named volumes, with Compose's names and labels.</summary>
public static class ResourceManager
{
    public static async Task EnsureAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        IReporter reporter, CancellationToken cancellationToken)
    {
        var networkKeys = services.SelectMany(s => s.Networks.Select(n => n.Name)).ToHashSet(StringComparer.Ordinal);
        var existingNetworks = (await engine.ListNetworksAsync(null, cancellationToken).ConfigureAwait(false))
            .Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var network in stack.Networks.Where(n => networkKeys.Contains(n.Key) && !existingNetworks.Contains(n.Name)))
        {
            if (network.External)
            {
                throw new Errors.DatamancyException(Errors.ErrorIds.UndefinedDependency, Errors.ErrorKind.ObjectNotFound,
                    $"The external network '{network.Name}' does not exist on the engine; create it first (docker network create {network.Name}).", network.Name);
            }

            reporter.Verbose($"Creating network {network.Name}{(network.Internal ? " (internal)" : string.Empty)}.");
            await engine.CreateNetworkAsync(new NetworkSpec(network.Name, network.Driver, network.Internal, network.Attachable, network.DriverOptions,
                new Dictionary<string, string>(network.Labels)
                {
                    [ComposeLabels.Project] = stack.ProjectName,
                    [ComposeLabels.Network] = network.Key,
                    [ComposeLabels.Version] = ComposeLabels.ComposeVersionValue,
                }), cancellationToken).ConfigureAwait(false);
        }

        var volumeKeys = services.SelectMany(s => s.Volumes.Where(v => v.Type == "volume" && v.Source is not null).Select(v => v.Source!)).ToHashSet(StringComparer.Ordinal);
        foreach (var volume in stack.Volumes.Where(v => volumeKeys.Contains(v.Key) && !v.External))
        {
            if (await engine.InspectVolumeAsync(volume.Name, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            reporter.Verbose($"Creating volume {volume.Name}.");
            await engine.CreateVolumeAsync(new VolumeSpec(volume.Name, volume.Driver, volume.DriverOptions,
                new Dictionary<string, string>(volume.Labels)
                {
                    [ComposeLabels.Project] = stack.ProjectName,
                    [ComposeLabels.Volume] = volume.Key,
                    [ComposeLabels.Version] = ComposeLabels.ComposeVersionValue,
                }), cancellationToken).ConfigureAwait(false);
        }
    }
}
