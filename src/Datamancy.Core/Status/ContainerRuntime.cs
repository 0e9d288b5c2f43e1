using System.Globalization;
using Datamancy.Engine;
using Docker.DotNet.Models;

namespace Datamancy.Status;

/// <summary>
/// What the engine's container list leaves out: when a container last started and how often its
/// restart policy restarted it. One inspect per container, all at once.
/// </summary>
public sealed record ContainerRuntime(DateTimeOffset? StartedAt, long Restarts)
{
    /// <summary>Per service, the runtime of its container; a container gone between the list and its inspect is left out.</summary>
    public static async Task<IReadOnlyDictionary<string, ContainerRuntime>> ReadAsync(IDockerEngine engine,
        IReadOnlyDictionary<string, LiveContainer> containers, CancellationToken cancellationToken)
    {
        var inspected = await Task.WhenAll(containers.Select(async pair =>
            (pair.Key, Inspect: await engine.InspectContainerAsync(pair.Value.Id, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        return inspected.Where(i => i.Inspect is not null).ToDictionary(i => i.Key, i => Of(i.Inspect!), StringComparer.Ordinal);
    }

    /// <summary>From an inspect: State.StartedAt is Go's RFC 3339 time, year 1 when the container never started.</summary>
    public static ContainerRuntime Of(ContainerInspectResponse inspect) =>
        new(DateTimeOffset.TryParse(inspect.State?.StartedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started) && started.Year > 1
                ? started.ToUniversalTime()
                : null,
            inspect.RestartCount);
}
