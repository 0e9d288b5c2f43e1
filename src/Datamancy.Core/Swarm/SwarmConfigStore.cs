using Datamancy.Engine;
using Datamancy.Reporting;
using Datamancy.Stack.Model;

namespace Datamancy.Swarm;

/// <summary>The stack's swarm configs: created before the services that use them, removed once no service of the stack refers to them.</summary>
public static class SwarmConfigStore
{
    /// <summary>Creates the missing configs and returns the id of every config of the stack, by name.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnsureAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<SwarmConfigFile> missing,
        IReporter reporter, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [SwarmLabels.Namespace] = stack.ProjectName };
        foreach (var config in missing)
        {
            reporter.Verbose($"Creating swarm config {config.Name} from {config.Source}.");
            await engine.CreateConfigAsync(config.Name, config.Data, labels, cancellationToken).ConfigureAwait(false);
        }

        return (await engine.ListConfigsAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
    }

    /// <summary>Removes the stack's configs that no service of the stack refers to (older versions, or those of removed services).</summary>
    public static async Task RemoveUnusedAsync(IDockerEngine engine, StackDefinition stack, IReporter reporter, CancellationToken cancellationToken)
    {
        var services = await engine.ListServicesAsync(SwarmLabels.Stack(stack.ProjectName), cancellationToken).ConfigureAwait(false);
        var used = services.SelectMany(s => s.Spec?.TaskTemplate?.ContainerSpec?.Configs ?? []).Select(c => c.ConfigName).ToHashSet(StringComparer.Ordinal);
        var configs = await engine.ListConfigsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var config in configs.Where(c => c.Labels.GetValueOrDefault(SwarmLabels.Namespace) == stack.ProjectName && !used.Contains(c.Name)))
        {
            // A config still held by a task being replaced is refused by the engine; the next deploy removes it.
            try
            {
                await engine.RemoveConfigAsync(config.Id, cancellationToken).ConfigureAwait(false);
                reporter.Verbose($"Removed swarm config {config.Name}, which no service of the stack uses.");
            }
            catch (Errors.DatamancyException exception) when (EngineFailures.IsRefusal(exception))
            {
                reporter.Verbose($"Swarm config {config.Name} is still in use and stays: {exception.Message}");
            }
        }
    }
}
