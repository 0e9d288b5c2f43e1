using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Images;
using Datamancy.Stack.Model;

namespace Datamancy.Updates;

/// <summary>
/// Get-DatamancyUpdate's work: one container list and one image list for the running side, and one
/// distribution inspect per distinct image for the registry side, all of them at once. Excluded
/// services are not asked about unless included.
/// </summary>
public static class UpdateChecker
{
    public static async Task<IReadOnlyList<UpdateCandidate>> CheckAsync(IDockerEngine engine, RegistryCredentials credentials, StackDefinition stack,
        IReadOnlyList<ServiceDefinition> services, bool includeExcluded, CancellationToken cancellationToken)
    {
        var containersTask = ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken);
        var imagesTask = engine.ListImagesAsync(cancellationToken);
        var asked = services.Where(s => includeExcluded || !UpdateCandidate.IsExcluded(s)).Select(s => s.Image!).Distinct(StringComparer.Ordinal).ToList();
        var registryTask = Task.WhenAll(asked.Select(image => AskAsync(engine, credentials, image, cancellationToken)));
        var containers = await containersTask.ConfigureAwait(false);
        var images = (await imagesTask.ConfigureAwait(false)).ToDictionary(i => i.Id, StringComparer.Ordinal);
        var registry = (await registryTask.ConfigureAwait(false)).ToDictionary(r => r.Image, StringComparer.Ordinal);
        var pins = UpdatePins.Load(stack.Directory);

        return services.Select(service =>
        {
            var container = containers.GetValueOrDefault(service.Name);
            var imageId = container?.ImageId ?? string.Empty;
            var digest = images.TryGetValue(imageId, out var image) ? ImageNames.DigestFor(service.Image!, image.RepoDigests) : string.Empty;
            var answer = registry.GetValueOrDefault(service.Image!);
            return new UpdateCandidate(service, container, imageId, digest, answer.Digest ?? string.Empty, UpdateCandidate.IsExcluded(service),
                pins.GetValueOrDefault(service.Name), answer.Error);
        }).ToList();
    }

    private static async Task<(string Image, string? Digest, string? Error)> AskAsync(IDockerEngine engine, RegistryCredentials credentials, string image,
        CancellationToken cancellationToken)
    {
        try
        {
            return (image, await engine.InspectDistributionAsync(image, credentials.For(image), cancellationToken).ConfigureAwait(false), null);
        }
        catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception) || exception.ErrorId == ErrorIds.RegistryCredentialsInvalid)
        {
            return (image, null, $"the registry could not be asked: {exception.Message}");
        }
    }
}
