using Datamancy.Errors;
using Datamancy.Reporting;

namespace Datamancy.Engine;

/// <summary>
/// Resolves every image of a selection to its local ID before anything is created; a missing image
/// is pulled, and one that cannot be had fails the whole call, naming every such image.
/// </summary>
public static class ImageResolver
{
    public static async Task<IReadOnlyDictionary<string, string>> ResolveAsync(IDockerEngine engine, IEnumerable<string> images, bool pull,
        IReporter reporter, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var image in images.Distinct(StringComparer.Ordinal))
        {
            var id = await InspectAsync(engine, image, cancellationToken).ConfigureAwait(false);
            if (id is null && !pull)
            {
                missing.Add($"{image} (not pulled: this is a dry run)");
                continue;
            }

            if (id is null)
            {
                reporter.Verbose($"Image {image} is not on the engine; pulling it.");
                var pullError = await PullAsync(engine, image, cancellationToken).ConfigureAwait(false);
                id = await InspectAsync(engine, image, cancellationToken).ConfigureAwait(false);
                if (id is null)
                {
                    missing.Add(pullError is null ? image : $"{image} ({pullError})");
                    continue;
                }
            }

            resolved[image] = id;
        }

        if (missing.Count > 0)
        {
            throw new DatamancyException(ErrorIds.ImageMissing, ErrorKind.ObjectNotFound,
                $"These images are not on the engine and could not be pulled: {string.Join("; ", missing)}. Nothing was changed. Load or build them (docker load, docker import), or make the registry reachable, then try again.",
                missing[0]);
        }

        return resolved;
    }

    private static async Task<string?> InspectAsync(IDockerEngine engine, string image, CancellationToken cancellationToken) =>
        (await engine.InspectImageAsync(image, cancellationToken).ConfigureAwait(false))?.Id;

    // The engine's reason when the pull fails, null when it worked.
    private static async Task<string?> PullAsync(IDockerEngine engine, string image, CancellationToken cancellationToken)
    {
        try
        {
            await engine.PullImageAsync(image, null, null, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (DatamancyException exception) when (exception.ErrorId is ErrorIds.EngineError or ErrorIds.EngineObjectNotFound)
        {
            return exception.Message;
        }
    }
}
