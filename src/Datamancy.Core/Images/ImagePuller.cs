using System.Collections.Concurrent;
using System.Diagnostics;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;

namespace Datamancy.Images;

/// <summary>
/// Pulls images in parallel, with the user's registry credentials, reporting per image how many of
/// its layers are done and how many bytes of those being downloaded have arrived. Every image is
/// tried; the failures are then reported together in one ImageMissing (the id a start has always given an image it cannot have).
/// </summary>
public sealed class ImagePuller(IDockerEngine engine, RegistryCredentials credentials, IReporter reporter)
{
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(250);

    public async Task PullAsync(IReadOnlyCollection<string> images, CancellationToken cancellationToken)
    {
        var failures = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Task.WhenAll(images.Distinct(StringComparer.Ordinal).Select(async image =>
        {
            try
            {
                await PullOneAsync(image, cancellationToken).ConfigureAwait(false);
            }
            catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception) || exception.ErrorId == ErrorIds.RegistryCredentialsInvalid)
            {
                reporter.Progress(image, "pull failed");
                failures[image] = exception.Message;
            }
        })).ConfigureAwait(false);

        if (!failures.IsEmpty)
        {
            var list = failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}: {f.Value}").ToList();
            throw new DatamancyException(ErrorIds.ImageMissing, ErrorKind.ResourceUnavailable,
                $"{list.Count} image(s) could not be pulled: {string.Join("; ", list)}. Check that the registry is reachable and that 'docker login' was done for it.",
                failures.Keys.First());
        }
    }

    private async Task PullOneAsync(string image, CancellationToken cancellationToken)
    {
        reporter.Progress(image, "pulling");
        var layers = new LayerProgress();
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var progress = new Callback(line =>
        {
            if (layers.Add(line) && clock.Elapsed - lastReport >= ReportEvery)
            {
                lastReport = clock.Elapsed;
                reporter.Progress(image, layers.Describe());
            }
        });
        await engine.PullImageAsync(image, credentials.For(image), progress, cancellationToken).ConfigureAwait(false);
        reporter.Progress(image, $"pulled ({layers.Describe()})");
    }

    private sealed class Callback(Action<PullProgress> report) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => report(value);
    }
}
