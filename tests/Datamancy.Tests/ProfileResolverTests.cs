using Datamancy.Errors;
using Datamancy.Stack;

namespace Datamancy.Tests;

public sealed class ProfileResolverTests : IDisposable
{
    private readonly TestStack _stack = new("""
        services:
          always: {image: x}
          db: {image: x, profiles: [data]}
          cache: {image: x, profiles: [data, fast]}
          app:
            image: x
            profiles: [apps]
            depends_on:
              db: {condition: service_healthy}
          optional:
            image: x
            profiles: [extra]
            depends_on:
              app: {condition: service_started, required: false}
          debug: {image: x, profiles: [debug]}
        """);

    public void Dispose() => _stack.Dispose();

    private string[] Resolve(string[] profiles, string[]? services = null, List<string>? warnings = null) =>
        ProfileResolver.Resolve(_stack.Load(), profiles, services, w => warnings?.Add(w)).Select(s => s.Name).ToArray();

    [Fact]
    public void A_service_without_profiles_is_always_enabled() => Assert.Equal(["always"], Resolve([]));

    [Fact]
    public void A_profile_enables_its_services() => Assert.Equal(["always", "db", "cache"], Resolve(["data"]));

    [Fact]
    public void Star_enables_every_profile() => Assert.Equal(["always", "db", "cache", "app", "optional", "debug"], Resolve(["*"]));

    [Fact]
    public void Naming_a_service_enables_it() => Assert.Equal(["always", "debug"], Resolve([], ["debug"]));

    [Fact]
    public void Required_dependency_into_a_disabled_profile_is_an_error()
    {
        var error = Assert.Throws<DatamancyException>(() => Resolve(["apps"]));
        Assert.Equal(ErrorIds.UndefinedDependency, error.ErrorId);
        Assert.Contains("'app' depends on 'db'", error.Message);
        Assert.Contains("data", error.Message);
        Assert.Contains("docker-compose.yml:9:", error.Message);
    }

    [Fact]
    public void Dependency_profiles_enabled_together_resolve() => Assert.Equal(["always", "db", "cache", "app"], Resolve(["apps", "data"]));

    [Fact]
    public void Optional_dependency_into_a_disabled_profile_only_warns()
    {
        var warnings = new List<string>();
        Assert.Equal(["always", "optional"], Resolve(["extra"], warnings: warnings));
        Assert.Contains(warnings, w => w.Contains("'optional'") && w.Contains("'app'"));
    }

    [Fact]
    public void Unknown_profile_is_named()
    {
        var error = Assert.Throws<DatamancyException>(() => Resolve(["nope"]));
        Assert.Equal(ErrorIds.ProfileNotFound, error.ErrorId);
        Assert.Contains("'nope'", error.Message);
        Assert.Contains("apps, data, debug, extra, fast", error.Message);
    }

    [Fact]
    public void Unknown_service_is_named()
    {
        var error = Assert.Throws<DatamancyException>(() => Resolve([], ["ghost"]));
        Assert.Equal(ErrorIds.ServiceNotFound, error.ErrorId);
        Assert.Contains("'ghost'", error.Message);
    }

    [Fact]
    public void Dependency_order_puts_dependencies_first()
    {
        var order = DependencyGraph.InDependencyOrder(_stack.Load().Services).Select(s => s.Name).ToList();
        Assert.True(order.IndexOf("db") < order.IndexOf("app"));
        Assert.True(order.IndexOf("app") < order.IndexOf("optional"));
    }
}
