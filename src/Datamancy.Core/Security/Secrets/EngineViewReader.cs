using Datamancy.Engine;
using Datamancy.Stack.Model;

namespace Datamancy.Security.Secrets;

/// <summary>Reads what rotation must know from the engine: the project's containers, and which data volumes of the target services exist.</summary>
public static class EngineViewReader
{
    public static async Task<EngineView> ReadAsync(IDockerEngine engine, StackDefinition stack, IEnumerable<string> services, CancellationToken cancellationToken)
    {
        var containers = await ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var volumes = new HashSet<string>(StringComparer.Ordinal);
        var names = services.Select(stack.FindService).OfType<ServiceDefinition>()
            .SelectMany(s => s.Volumes.Where(v => v.Type == "volume" && v.Source is not null))
            .Select(v => stack.Volumes.FirstOrDefault(d => d.Key == v.Source)?.Name)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            // No such volume: the server has never stored anything.
            if (await engine.InspectVolumeAsync(name, cancellationToken).ConfigureAwait(false) is not null)
            {
                volumes.Add(name);
            }
        }

        return new EngineView(containers, volumes, null);
    }
}
