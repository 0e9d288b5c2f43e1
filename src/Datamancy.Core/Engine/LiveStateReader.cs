namespace Datamancy.Engine;

/// <summary>The live state of every service of a project: one container list and one image list call in all.</summary>
public static class LiveStateReader
{
    public static async Task<IReadOnlyDictionary<string, LiveState>> ReadAsync(IDockerEngine engine, string project, CancellationToken cancellationToken)
    {
        var containers = await ContainerObserver.ListAsync(engine, project, cancellationToken).ConfigureAwait(false);
        var images = containers.Count == 0
            ? []
            : await engine.ListImagesAsync(cancellationToken).ConfigureAwait(false);
        var digests = images.ToDictionary(i => i.Id, i => i.RepoDigests.FirstOrDefault() ?? string.Empty, StringComparer.Ordinal);
        return ToLiveStates(containers, imageId => digests.GetValueOrDefault(imageId, string.Empty));
    }

    /// <summary>The live states of listed containers; <paramref name="repoDigest"/> gives an image ID's repository digest (empty when not asked).</summary>
    public static IReadOnlyDictionary<string, LiveState> ToLiveStates(IReadOnlyDictionary<string, LiveContainer> containers, Func<string, string> repoDigest) =>
        containers.ToDictionary(p => p.Key, p => new LiveState(
            p.Value.State, p.Value.Health, p.Value.Id[..Math.Min(12, p.Value.Id.Length)], p.Value.Status, p.Value.Created,
            p.Value.ImageId, repoDigest(p.Value.ImageId), [.. p.Value.Ports]), StringComparer.Ordinal);
}
