using System.Diagnostics;
using Datamancy.Checks;
using Datamancy.Engine;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Orchestrators;

/// <summary>The ServiceTester on the fake engine: container and dependency checks from one live read, each service judged on its own, Ctrl+C honoured.</summary>
public sealed class ServiceTesterTests
{
    // web is routed by Caddy and declares a check; cache declares one but has no route.
    private static OrchestratorStack CheckedStack() => new(
        OrchestratorStack.Compose
            .Replace("    image: fake/web:1\n", "    image: fake/web:1\n    x-datamancy-checks: [{path: /health, status: 200}]\n", StringComparison.Ordinal)
            .Replace("    image: fake/cache:1\n", "    image: fake/cache:1\n    x-datamancy-checks: [{path: /ping, status: 200}]\n", StringComparison.Ordinal),
        caddyfile: "web.stack.local {\n  reverse_proxy web:80\n}\n");

    // Nothing listens on port 1 of the loopback: a refused connection, at once, with no engine and no Caddy.
    private static readonly ServiceTestOptions Unreachable = new(CaddyEndpoint.Parse("127.0.0.1:1"), false, TimeSpan.FromSeconds(5), 8);

    private static async Task<List<ServiceTestOutcome>> TestAsync(OrchestratorStack stack, string[] names, ServiceTestOptions? options = null,
        Action<ServiceTestOutcome>? also = null, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<ServiceTestOutcome>();
        var count = await new ServiceTester(stack.Engine, stack.Reporter).TestAsync(stack.Stack, stack.Services(names), options ?? Unreachable, o =>
        {
            lock (outcomes)
            {
                outcomes.Add(o);
            }

            also?.Invoke(o);
        }, cancellationToken);
        Assert.Equal(names.Length == 0 ? stack.Stack.Services.Count : names.Length, count);
        return outcomes;
    }

    private static CheckResult Check(IEnumerable<ServiceTestOutcome> outcomes, string service, string check) =>
        Assert.Single(Assert.Single(outcomes, o => o.Service == service).Results, r => r.Check == check);

    [Fact]
    public async Task Judges_containers_and_dependencies_from_the_live_state()
    {
        using var stack = CheckedStack();
        stack.AllRunning();
        await stack.Engine.StopContainerAsync(stack.Engine.ContainerOf("cache")!.Id, TimeSpan.Zero, CancellationToken.None);

        var outcomes = await TestAsync(stack, ["db", "cache", "app", "migrate", "worker"]);

        Assert.Equal("running, healthy", Check(outcomes, "db", CheckNames.Container).Detail);
        Assert.False(Check(outcomes, "cache", CheckNames.Container).Passed);
        Assert.True(Check(outcomes, "app", CheckNames.Container).Passed);
        var dependencies = Check(outcomes, "app", CheckNames.Dependencies);
        Assert.False(dependencies.Passed);
        Assert.StartsWith("cache: exited (Exited (0)", dependencies.Detail);
        Assert.True(Check(outcomes, "migrate", CheckNames.Container).Passed);
        Assert.True(Check(outcomes, "worker", CheckNames.Dependencies).Passed);
        Assert.All(outcomes, o => Assert.Null(o.FingerprintError));
    }

    [Fact]
    public async Task A_service_without_a_container_fails_alone()
    {
        using var stack = CheckedStack();
        stack.Existing("db", ContainerState.Running, HealthStatus.Healthy);

        var outcomes = await TestAsync(stack, ["db", "other"]);

        Assert.True(Assert.Single(outcomes, o => o.Service == "db").AllPassed);
        Assert.StartsWith("no container; start it with Start-DatamancyService -Name other", Check(outcomes, "other", CheckNames.Container).Detail);
    }

    [Fact]
    public async Task A_declared_check_without_a_route_fails_and_says_why()
    {
        using var stack = CheckedStack();
        stack.AllRunning();

        var outcomes = await TestAsync(stack, ["cache"]);

        var declared = Check(outcomes, "cache", CheckNames.Declared("/ping"));
        Assert.False(declared.Passed);
        Assert.Contains("no site of the Caddyfile routes to 'cache'", declared.Detail);
        Assert.DoesNotContain(outcomes.Single().Results, r => r.Check == CheckNames.Https);
    }

    [Fact]
    public async Task A_routed_service_that_caddy_does_not_answer_for_fails_its_https_checks_only()
    {
        using var stack = CheckedStack();
        stack.AllRunning();

        var outcomes = await TestAsync(stack, ["web", "other"]);

        Assert.True(Check(outcomes, "web", CheckNames.Container).Passed);
        Assert.False(Check(outcomes, "web", CheckNames.Https).Passed);
        Assert.StartsWith("not checked: ", Check(outcomes, "web", CheckNames.SecurityHeaders).Detail);
        Assert.False(Check(outcomes, "web", CheckNames.Declared("/health")).Passed);
        Assert.True(Assert.Single(outcomes, o => o.Service == "other").AllPassed);
    }

    [Fact]
    public async Task Cancelling_stops_before_the_next_service()
    {
        using var stack = CheckedStack();
        stack.AllRunning();
        using var cancel = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var outcomes = new List<ServiceTestOutcome>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ServiceTester(stack.Engine, stack.Reporter).TestAsync(stack.Stack,
            stack.Services("db", "cache", "app", "other"), Unreachable with { ThrottleLimit = 1 }, o =>
            {
                outcomes.Add(o);
                cancel.Cancel();
            }, cancel.Token));

        Assert.Equal(["db"], outcomes.Select(o => o.Service));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }
}
