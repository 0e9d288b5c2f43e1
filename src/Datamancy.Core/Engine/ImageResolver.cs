using System.Net;
using Datamancy.Errors;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Datamancy.Engine;

/// <summary>
/// Resolves every image of a selection to its local ID before anything is created; a missing image
/// is pulled, and one that cannot be had fails the whole call, naming every such image.
/// </summary>
public static class ImageResolver
{
    public static async Task<IReadOnlyDictionary<string, string>> ResolveAsync(DockerEngine engine, IEnumerable<string> images, bool pull,
        IEngineReporter reporter, CancellationToken cancellationToken)
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

    private static async Task<string?> InspectAsync(DockerEngine engine, string image, CancellationToken cancellationToken)
    {
        try
        {
            return (await engine.Client.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false)).ID;
        }
        catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<string?> PullAsync(DockerEngine engine, string image, CancellationToken cancellationToken)
    {
        var (name, tag) = Split(image);
        var errors = new List<string>();
        try
        {
            await engine.Client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = name, Tag = tag }, null,
                new Reporter(message => { if (message.Error?.Message is { Length: > 0 } error) { errors.Add(error); } }), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException exception)
        {
            errors.Add(exception.ResponseBody?.Trim() is { Length: > 0 } body ? body : exception.Message);
        }

        return errors.Count > 0 ? errors[^1].Split('\n')[0] : null;
    }

    private static (string Name, string Tag) Split(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    private sealed class Reporter(Action<JSONMessage> report) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => report(value);
    }
}
