using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Tests;

/// <summary>The bundled configs/ load through the model with the stack record's rules.</summary>
public sealed class BundledConfigsTests : IDisposable
{
    private static readonly string Configs = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../configs"));

    private readonly string _target = Path.Combine(Path.GetTempPath(), "dm-bundled-" + Guid.NewGuid().ToString("N"));
    private readonly StackDefinition _stack;

    public BundledConfigsTests()
    {
        var creator = new StackCreator(Configs);
        creator.Create(creator.Plan(_target, null, false));
        _stack = new StackLoader(_ => null).Load(_target);
    }

    public void Dispose() => Directory.Delete(_target, recursive: true);

    [Fact]
    public void Has_36_services_in_12_profiles_and_loads_without_warnings()
    {
        Assert.Equal(36, _stack.Services.Count);
        Assert.Equal(12, _stack.Profiles.Count);
        Assert.Empty(_stack.Warnings);
    }

    [Fact]
    public void Every_service_resolves_with_star_and_dependencies_stay_acyclic()
    {
        Assert.Equal(36, ProfileResolver.Resolve(_stack, [ProfileResolver.All]).Count);
        Assert.Null(DependencyGraph.FindCycle(_stack.Services));
    }

    [Fact]
    public void Backend_network_is_internal_and_databases_live_only_there()
    {
        Assert.True(_stack.Networks.Single(n => n.Key == "backend").Internal);
        Assert.False(_stack.Networks.Single(n => n.Key == "frontend").Internal);
        foreach (var name in new[] { "mariadb", "mongodb", "clickhouse", "paperless-postgres", "planka-postgres", "outline-postgres", "redis", "outline-redis" })
        {
            var service = _stack.FindService(name)!;
            Assert.Equal(["backend"], service.Networks.Select(n => n.Name));
            Assert.Equal("false", service.Labels["com.centurylinklabs.watchtower.enable"]);
            Assert.NotNull(service.Healthcheck);
        }
    }

    [Fact]
    public void Apps_wait_for_their_databases_to_be_healthy()
    {
        (string App, string Database)[] pairs =
        [
            ("nextcloud", "mariadb"), ("vaultwarden", "mariadb"), ("paperless", "paperless-postgres"), ("paperless", "redis"),
            ("planka", "planka-postgres"), ("outline", "outline-postgres"), ("outline", "outline-redis"), ("librechat", "mongodb"),
        ];
        foreach (var (app, database) in pairs)
        {
            Assert.Contains(_stack.FindService(app)!.DependsOn, d => d.Service == database && d.Condition == ServiceDependency.Healthy);
        }
    }

    [Fact]
    public void Hardening_baseline_holds_or_is_documented()
    {
        foreach (var service in _stack.Services)
        {
            Assert.True(service.CapDrop.Contains("ALL") || service.Exceptions.ContainsKey("capabilities"), $"{service.Name} must drop ALL capabilities");
            Assert.True(!service.Privileged || service.Exceptions.ContainsKey("privileged"), $"{service.Name} is privileged without a documented exception");
            foreach (var mount in service.Volumes.Where(v => v.Source is not null && v.Source.EndsWith("docker.sock")))
            {
                Assert.True(mount.ReadOnly, $"{service.Name} mounts the Docker socket read-write");
                Assert.True(service.Exceptions.ContainsKey("docker-socket"), $"{service.Name} mounts the Docker socket without a documented exception");
            }
        }

        var socketUsers = _stack.Services.Where(s => s.Volumes.Any(v => v.Source?.EndsWith("docker.sock") == true)).Select(s => s.Name).Order();
        Assert.Equal(["portainer", "promtail", "watchtower"], socketUsers);
        foreach (var name in new[] { "jellyfin", "homeassistant", "watchtower", "localai" })
        {
            Assert.NotEmpty(_stack.FindService(name)!.Exceptions);
        }
    }

    [Fact]
    public void Only_caddy_publishes_beyond_loopback()
    {
        foreach (var service in _stack.Services.Where(s => s.Name != "caddy"))
        {
            Assert.All(service.Ports, p => Assert.Equal("127.0.0.1", p.HostIp));
        }

        Assert.Equal(["443", "80"], _stack.FindService("caddy")!.Ports.Select(p => p.Published).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Caddyfile_routes_every_hostname_to_a_service_of_its_own_name()
    {
        Assert.NotEmpty(_stack.Routes);
        foreach (var route in _stack.Routes)
        {
            Assert.NotNull(route.Service);
            Assert.Equal($"{route.Service}.stack.local", route.Hostname);
            Assert.DoesNotContain(route.Paths, p => p.StartsWith("/metrics", StringComparison.Ordinal));
            Assert.StartsWith("max-age=31536000", route.Headers["Strict-Transport-Security"]);
            Assert.True(route.Headers.ContainsKey("Content-Security-Policy"), $"{route.Hostname} lacks a CSP header");
            var service = _stack.FindService(route.Service!)!;
            Assert.True(route.ForwardAuth || route.Service == "authelia" || service.Exceptions.ContainsKey("forward-auth"),
                $"{route.Hostname} has no forward_auth and no documented exception");
        }

        Assert.Equal(_stack.Routes.Count, _stack.Routes.Select(r => r.Hostname).Distinct().Count());
    }

    [Fact]
    public void Secrets_come_from_the_env_file_and_example_holds_none()
    {
        var example = DotEnvFile.Parse(".env.example", File.ReadAllText(Path.Combine(Configs, ".env.example")), _ => null);
        Assert.All(example.Where(e => Datamancy.Stack.SecretGenerator.IsSecretName(e.Key)), e => Assert.Equal("", e.Value));
        Assert.Contains(example.Keys, Datamancy.Stack.SecretGenerator.IsSecretName);
    }
}
