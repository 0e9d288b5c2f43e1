using System.Text.RegularExpressions;

namespace Datamancy.Engine;

/// <summary>
/// The project's containers as the engine has them, one list call: per service, its container (the
/// one under the service's own name, else the running, else the newest), and the containers a
/// recreate that was cut off left beside it.
/// </summary>
public static partial class ContainerObserver
{
    public static async Task<IReadOnlyDictionary<string, LiveContainer>> ListAsync(IDockerEngine engine, string project, CancellationToken cancellationToken) =>
        (await ReadAsync(engine, project, cancellationToken).ConfigureAwait(false)).Current;

    public static async Task<ProjectContainers> ReadAsync(IDockerEngine engine, string project, CancellationToken cancellationToken)
    {
        var containers = await engine.ListContainersAsync(ContainerQuery.ForProject(project), cancellationToken).ConfigureAwait(false);
        return Sort(project, containers);
    }

    /// <summary>Splits a project's containers into each service's container and the leftovers of interrupted recreates.</summary>
    public static ProjectContainers Sort(string project, IEnumerable<LiveContainer> containers)
    {
        var current = new Dictionary<string, LiveContainer>(StringComparer.Ordinal);
        var leftovers = new List<LiveContainer>();
        var services = containers
            .Where(c => !c.Labels.TryGetValue(ComposeLabels.OneOff, out var oneOff) || oneOff == "False")
            .Where(c => c.Service.Length > 0)
            .GroupBy(c => c.Service, StringComparer.Ordinal);
        foreach (var service in services)
        {
            var name = ContainerSpecBuilder.ContainerName(project, service.Key);
            var temporary = service.Where(c => IsTemporaryName(c.Name, name)).OrderByDescending(c => c.Created).ToList();
            var others = service.Except(temporary).OrderByDescending(c => c.Name == name).ThenByDescending(c => c.IsRunning).ThenByDescending(c => c.Created).ToList();

            // A recreate makes the new container under "<old id>_<name>", then removes the old one and
            // renames the new. Cut off before the removal, the temporary one is a leftover; cut off
            // between removal and rename, it is the service's container and takes its name back.
            var chosen = others.FirstOrDefault() ?? temporary.First();
            current[service.Key] = chosen;
            leftovers.AddRange(temporary.Where(c => !ReferenceEquals(c, chosen)));
        }

        return new ProjectContainers(current, leftovers);
    }

    /// <summary>Whether <paramref name="containerName"/> is the temporary name a recreate gives the new container of <paramref name="name"/>.</summary>
    public static bool IsTemporaryName(string containerName, string name) =>
        containerName.Length == name.Length + 13 && containerName.EndsWith("_" + name, StringComparison.Ordinal) && ShortId().IsMatch(containerName[..12]);

    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex ShortId();
}

/// <summary>A project's containers: per service the one it runs in, and the leftovers of recreates that were cut off.</summary>
public sealed record ProjectContainers(IReadOnlyDictionary<string, LiveContainer> Current, IReadOnlyList<LiveContainer> Leftovers)
{
    public IReadOnlyList<LiveContainer> LeftoversOf(string service) => Leftovers.Where(c => c.Service == service).ToList();
}
