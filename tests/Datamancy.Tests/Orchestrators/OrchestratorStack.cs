using Datamancy.Engine;
using Datamancy.Stack.Model;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Orchestrators;

/// <summary>
/// A small stack with every kind of depends_on, on a fake engine that holds its images:
/// app needs db healthy and cache started, web needs app, worker needs the job migrate to
/// complete, and other stands alone. db has a healthcheck, a volume and the backend network.
/// </summary>
internal sealed class OrchestratorStack : IDisposable
{
    public const string Compose = """
        name: orch
        services:
          db:
            image: fake/db:1
            healthcheck: {test: [CMD, "true"], interval: 1s}
            volumes: [dbdata:/var/lib/db]
            networks: [backend]
          cache:
            image: fake/cache:1
            networks: [backend]
          app:
            image: fake/app:1
            depends_on:
              db: {condition: service_healthy}
              cache: {condition: service_started}
            networks: [backend, default]
          web:
            image: fake/web:1
            ports: ["127.0.0.1:18080:80"]
            depends_on: [app]
          migrate:
            image: fake/app:1
            restart: "no"
          worker:
            image: fake/app:1
            depends_on:
              migrate: {condition: service_completed_successfully}
          other:
            image: fake/other:1
            volumes: [shared:/shared]
        volumes:
          dbdata: {}
          shared:
            external: true
        networks:
          backend: {internal: true}
        """;

    private readonly TestStack _folder;

    public OrchestratorStack(string compose = Compose, string? caddyfile = null)
    {
        _folder = new TestStack(compose, caddyfile: caddyfile);
        Stack = _folder.Load();
        foreach (var image in Stack.Services.Select(s => s.Image!).Distinct())
        {
            Engine.AddImage(image);
        }

        // The job exits by itself, successfully, as a migration does.
        Engine.Script("migrate", ContainerScript.Exits(0));
    }

    public StackDefinition Stack { get; }

    public FakeEngine Engine { get; } = new();

    public RecordingReporter Reporter { get; } = new();

    public string Project => Stack.ProjectName;

    public ServiceDefinition Service(string name) => Stack.FindService(name)!;

    public IReadOnlyList<ServiceDefinition> Services(params string[] names) =>
        names.Length == 0 ? Stack.Services : names.Select(Service).ToList();

    /// <summary>The image id the fake holds for a service's image.</summary>
    public string ImageId(string service) => Engine.InspectImageAsync(Service(service).Image!, CancellationToken.None).GetAwaiter().GetResult()!.Id;

    /// <summary>A container of a service as a start of this stack makes it: its labels carry the current fingerprint, so the plan leaves it alone.</summary>
    public FakeContainer Existing(string service, ContainerState state, HealthStatus health = HealthStatus.None, long exitCode = 0) =>
        Engine.AddContainer(Project, service, state, health,
            new Dictionary<string, string> { [ComposeLabels.Fingerprint] = ServiceHasher.ContainerFingerprint(Service(service), ImageId(service)) },
            ImageId(service), exitCode);

    /// <summary>Every service running (db healthy), as after a good start.</summary>
    public void AllRunning()
    {
        foreach (var service in Stack.Services)
        {
            Existing(service.Name, service.IsJob ? ContainerState.Exited : ContainerState.Running, service.Healthcheck is null ? HealthStatus.None : HealthStatus.Healthy);
        }
    }

    /// <summary>Plans (through the real Planner) and converges the services on the fake engine.</summary>
    public async Task<IReadOnlyList<ServiceResult>> ConvergeAsync(IReadOnlyList<ServiceDefinition>? services = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        services ??= Stack.Services;
        var images = services.ToDictionary(s => s.Name, s => new ResolvedImage(ImageId(s.Name), false), StringComparer.Ordinal);
        var plan = await Planner.PlanAsync(Engine, Stack, services, images, new HashSet<string>(), cancellationToken);
        return await new Reconciler(Engine, Reporter).ConvergeAsync(plan, timeout ?? TimeSpan.FromSeconds(10), cancellationToken);
    }

    public void Dispose()
    {
        Engine.Dispose();
        _folder.Dispose();
    }
}

/// <summary>Assertions on results and call orders.</summary>
internal static class Results
{
    public static ServiceResult Of(this IReadOnlyList<ServiceResult> results, string name) => Assert.Single(results, r => r.Name == name);

    /// <summary><paramref name="first"/> appears in <paramref name="calls"/> before <paramref name="then"/> (both must appear).</summary>
    public static void Before(this IReadOnlyList<string> calls, string first, string then)
    {
        var a = IndexOf(calls, first);
        var b = IndexOf(calls, then);
        Assert.True(a < b, $"expected {first} before {then} in: {string.Join(", ", calls)}");
    }

    private static int IndexOf(IReadOnlyList<string> calls, string item)
    {
        var index = calls.ToList().IndexOf(item);
        Assert.True(index >= 0, $"{item} is not in: {string.Join(", ", calls)}");
        return index;
    }
}
