using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Images;
using Datamancy.Reporting;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Swarm;

/// <summary>
/// Plans a swarm deploy without changing anything: refuses what a swarm cannot express, pins each
/// image to the digest its registry serves (a node pulls its own copy, so an image that only this
/// engine holds cannot run elsewhere), builds each ServiceSpec and compares its hash with the
/// service's label.
/// </summary>
public static class SwarmPlanner
{
    public static async Task<SwarmPlan> PlanAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services, IReporter reporter,
        Func<string, string?> environment, CancellationToken cancellationToken)
    {
        await RequireManagerAsync(engine, cancellationToken).ConfigureAwait(false);
        var settings = SwarmSettings.From(stack);
        var ordered = DependencyGraph.InDependencyOrder(services);
        foreach (var service in ordered)
        {
            SwarmKeyCheck.Check(stack, service, reporter.Warning);
        }

        var secrets = SwarmSecrets.Read(stack);
        var credentials = new RegistryCredentials(environment);
        var existing = await SwarmInventory.ByNameAsync(engine, stack, cancellationToken).ConfigureAwait(false);
        // Each image's digest is asked once, all at the same time: a stack names the same image many times.
        var pins = ordered.DistinctBy(s => s.Image).ToDictionary(s => s.Image ?? string.Empty, s => PinAsync(engine, credentials, s, cancellationToken), StringComparer.Ordinal);
        var plans = new List<SwarmServicePlan>();
        foreach (var service in ordered)
        {
            var image = await pins[service.Image ?? string.Empty].ConfigureAwait(false);
            var spec = ServiceSpecBuilder.Build(stack, service, image, settings, environment, secrets.For(service.Name));
            var current = existing.GetValueOrDefault(spec.Name!);
            var action = current is null ? ServiceAction.Create
                : SpecHash(current) == spec.Labels![SwarmLabels.SpecHash] && Replicas(current.Spec!) == Replicas(spec) ? ServiceAction.Unchanged
                : ServiceAction.Update;
            plans.Add(new SwarmServicePlan(service, action, spec, current));
        }

        var presentConfigs = await SwarmObjectStore.PresentAsync(engine, SwarmObjectKind.Config, cancellationToken).ConfigureAwait(false);
        var missingConfigs = ordered.SelectMany(s => SwarmConfigFiles.For(stack, s)).DistinctBy(c => c.Name).Where(c => !presentConfigs.Contains(c.Name))
            .Select(c => c.ToData()).ToList();
        var presentSecrets = await SwarmObjectStore.PresentAsync(engine, SwarmObjectKind.Secret, cancellationToken).ConfigureAwait(false);
        var missingSecrets = secrets.UsedBy(ordered).Where(s => !presentSecrets.Contains(s.Name)).Select(s => s.ToData()).ToList();
        return new SwarmPlan(stack, settings, await MissingNetworksAsync(engine, stack, ordered, cancellationToken).ConfigureAwait(false), plans,
            missingConfigs, missingSecrets);
    }

    /// <summary>The spec hash label a service carries; null for one Datamancy did not make.</summary>
    public static string? SpecHash(Docker.DotNet.Models.SwarmService service) =>
        service.Spec?.Labels is { } labels && labels.TryGetValue(SwarmLabels.SpecHash, out var hash) ? hash : null;

    // A stop scales a service to 0 and keeps its spec hash: the next start scales it back.
    private static ulong? Replicas(Docker.DotNet.Models.ServiceSpec spec) => spec.Mode?.Replicated?.Replicas;

    public static async Task RequireManagerAsync(IDockerEngine engine, CancellationToken cancellationToken)
    {
        var info = await engine.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        if (!info.IsSwarmManager)
        {
            throw new DatamancyException(ErrorIds.SwarmNotManager, ErrorKind.InvalidOperation,
                $"The engine at {engine.Endpoint} is not a swarm manager (its swarm state is '{info.SwarmState}'): swarm mode deploys through a manager. " +
                "Point -DockerHost at a manager node, or create a swarm with 'docker swarm init'.", engine.Endpoint.ToString());
        }
    }

    private static async Task<string> PinAsync(IDockerEngine engine, RegistryCredentials credentials, ServiceDefinition service, CancellationToken cancellationToken)
    {
        var image = service.Image!;
        if (image.Contains("@sha256:", StringComparison.Ordinal))
        {
            return image;
        }

        try
        {
            var digest = await engine.InspectDistributionAsync(image, credentials.For(image), cancellationToken).ConfigureAwait(false);
            return $"{image}@{digest}";
        }
        catch (DatamancyException exception) when (EngineFailures.IsRefusal(exception) || exception.ErrorId is ErrorIds.RegistryUnavailable or ErrorIds.RegistryCredentialsInvalid)
        {
            var local = await engine.InspectImageAsync(image, cancellationToken).ConfigureAwait(false) is not null ? " This engine holds it locally (built or loaded here), but" : string.Empty;
            throw new DatamancyException(ErrorIds.SwarmImageNotInRegistry, ErrorKind.ObjectNotFound,
                $"{service.Mark}: the image '{image}' of service '{service.Name}' is not served by a registry the swarm can reach ({exception.Message}).{local} " +
                "every node pulls its own copy by digest: push the image to a registry the nodes reach (docker push) and name it there.",
                service.Name, exception);
        }
    }

    private static async Task<IReadOnlyList<NetworkSpec>> MissingNetworksAsync(IDockerEngine engine, StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        CancellationToken cancellationToken)
    {
        var present = (await engine.ListNetworksAsync(null, cancellationToken).ConfigureAwait(false)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        return services.SelectMany(s => s.Networks).Select(n => n.Name).Distinct(StringComparer.Ordinal)
            .Select(key => stack.Networks.Single(n => n.Key == key))
            .Where(n => !n.External && !present.Contains(n.Name))
            .Select(n => new NetworkSpec(n.Name, "overlay", n.Internal, Attachable: true, n.Driver == "overlay" ? n.DriverOptions : new Dictionary<string, string>(),
                new Dictionary<string, string>(n.Labels.ToDictionary(), StringComparer.Ordinal) { [SwarmLabels.Namespace] = stack.ProjectName }))
            .ToList();
    }
}
