using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;

namespace Datamancy.Recovery;

/// <summary>What a Compose project has on an engine (containers, volumes, networks by its label), and its removal: a drill's copy afterwards, or what -Force starts over from.</summary>
public static class ProjectFootprint
{
    /// <summary>"container x", "volume y", "network z" for everything labelled with the project.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(IDockerEngine engine, string project, CancellationToken cancellationToken)
    {
        var labels = LabelFilter.Project(project);
        var containers = await engine.ListContainersAsync(new ContainerQuery(labels), cancellationToken).ConfigureAwait(false);
        var volumes = await engine.ListVolumesAsync(labels, cancellationToken).ConfigureAwait(false);
        var networks = await engine.ListNetworksAsync(labels, cancellationToken).ConfigureAwait(false);
        return [.. containers.Select(c => "container " + c.Name), .. volumes.Select(v => "volume " + v.Name), .. networks.Select(n => "network " + n.Name)];
    }

    /// <summary>Removes every container, volume and network of the project; not cancellable, so an interrupted drill still cleans up.</summary>
    public static async Task RemoveAsync(IDockerEngine engine, string project, IReporter reporter)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var token = timeout.Token;
        var labels = LabelFilter.Project(project);
        foreach (var container in await engine.ListContainersAsync(new ContainerQuery(labels), token).ConfigureAwait(false))
        {
            await engine.RemoveContainerAsync(container.Id, true, token).ConfigureAwait(false);
        }

        foreach (var volume in await engine.ListVolumesAsync(labels, token).ConfigureAwait(false))
        {
            await engine.RemoveVolumeAsync(volume.Name, true, token).ConfigureAwait(false);
        }

        foreach (var network in await engine.ListNetworksAsync(labels, token).ConfigureAwait(false))
        {
            // Engine 20.10 can refuse right after the containers go ("has active endpoints", moby#42119).
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await engine.RemoveNetworkAsync(network.Id, token).ConfigureAwait(false);
                    break;
                }
                catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception) && attempt < 20)
                {
                    await Task.Delay(250, token).ConfigureAwait(false);
                }
            }
        }

        reporter.Verbose($"Removed the containers, volumes and networks of project '{project}'.");
    }
}
