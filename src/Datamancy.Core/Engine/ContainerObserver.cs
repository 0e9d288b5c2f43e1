namespace Datamancy.Engine;

/// <summary>The project's containers as the engine has them, one list call: per service, the running (else the newest) container.</summary>
public static class ContainerObserver
{
    public static async Task<IReadOnlyDictionary<string, LiveContainer>> ListAsync(IDockerEngine engine, string project, CancellationToken cancellationToken)
    {
        var containers = await engine.ListContainersAsync(ContainerQuery.ForProject(project), cancellationToken).ConfigureAwait(false);
        return containers
            .Where(c => !c.Labels.TryGetValue(ComposeLabels.OneOff, out var oneOff) || oneOff == "False")
            .Where(c => c.Service.Length > 0)
            .GroupBy(c => c.Service, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.IsRunning).ThenByDescending(c => c.Created).First(), StringComparer.Ordinal);
    }
}
