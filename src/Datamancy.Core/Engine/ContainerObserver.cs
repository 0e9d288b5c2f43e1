using Docker.DotNet.Models;

namespace Datamancy.Engine;

/// <summary>The project's containers, networks and volumes as the engine has them, one list call each.</summary>
public static class ContainerObserver
{
    public static async Task<IReadOnlyDictionary<string, LiveContainer>> ListAsync(DockerEngine engine, string project, CancellationToken cancellationToken)
    {
        var containers = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = ProjectFilter(project),
        }, cancellationToken).ConfigureAwait(false);
        return containers
            .Where(c => c.Labels is not null && (!c.Labels.TryGetValue(ComposeLabels.OneOff, out var oneOff) || oneOff == "False"))
            .Select(LiveContainer.From)
            .Where(c => c.Service.Length > 0)
            .GroupBy(c => c.Service, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.IsRunning).ThenByDescending(c => c.Created).First(), StringComparer.Ordinal);
    }

    public static IDictionary<string, IDictionary<string, bool>> ProjectFilter(string project) =>
        new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [$"{ComposeLabels.Project}={project}"] = true },
        };
}
