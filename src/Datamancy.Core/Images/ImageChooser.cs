using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Images;

/// <summary>
/// Decides, per service, which image a start runs and whether it pulls first: a service pinned after
/// a rollback runs its pinned image; otherwise the pull policy (-Pull when given, else the service's
/// pull_policy, else Missing, as Compose) says. One inspect per distinct image; nothing is pulled here.
/// </summary>
public static class ImageChooser
{
    public static async Task<IReadOnlyDictionary<string, ResolvedImage>> ChooseAsync(IDockerEngine engine, StackDefinition stack,
        IReadOnlyList<ServiceDefinition> services, PullPolicy? pull, CancellationToken cancellationToken)
    {
        var pins = UpdatePins.Load(stack.Directory);
        var wanted = services.Select(s => pins.TryGetValue(s.Name, out var pin) ? RollbackTag.Reference(pin.Image, s.Name) : s.Image!).Distinct(StringComparer.Ordinal).ToList();
        var inspected = await Task.WhenAll(wanted.Select(async image => (image, (await engine.InspectImageAsync(image, cancellationToken).ConfigureAwait(false))?.Id)))
            .ConfigureAwait(false);
        var local = inspected.ToDictionary(i => i.image, i => i.Id, StringComparer.Ordinal);

        var chosen = new Dictionary<string, ResolvedImage>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var service in services)
        {
            if (pins.TryGetValue(service.Name, out var pin))
            {
                var reference = RollbackTag.Reference(pin.Image, service.Name);
                if (local[reference] == pin.ImageId)
                {
                    chosen[service.Name] = new ResolvedImage(pin.ImageId, false, reference);
                    continue;
                }

                missing.Add($"{service.Name}: it is pinned to {pin.ImageId} after a rollback, but {reference} no longer names that image; run Update-DatamancyService -Name {service.Name}, which updates it again and unpins it");
                continue;
            }

            var policy = pull ?? service.PullPolicy ?? PullPolicy.Missing;
            var id = local[service.Image!];
            if (id is null && policy == PullPolicy.Never)
            {
                missing.Add($"{service.Name}: {service.Image} is not on the engine and its pull policy is never");
                continue;
            }

            chosen[service.Name] = new ResolvedImage(id ?? string.Empty, id is null || policy == PullPolicy.Always);
        }

        if (missing.Count > 0)
        {
            throw new DatamancyException(ErrorIds.ImageMissing, ErrorKind.ObjectNotFound,
                $"Nothing was changed: {string.Join("; ", missing)}. Load the image (docker load), or start with -Pull Missing.", missing[0]);
        }

        return chosen;
    }
}
