using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Swarm;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Swarm;

public sealed class SwarmDeployerTests
{
    private const string Compose = """
        name: dep
        services:
          web:
            image: reg.local/web:1
            depends_on: [app]
          app:
            image: reg.local/app:1
            depends_on: {db: {condition: service_healthy}}
            networks: [backend, default]
          db:
            image: reg.local/db:1
            volumes: [data:/data]
            networks: [backend]
        networks:
          backend: {internal: true}
        volumes:
          data: {}
        """;

    private static FakeEngine Manager() => new FakeEngine { IsSwarmManager = true }.AddNode("n1", "manager")
        .Pullable("reg.local/db:1", "sha256:d1").Pullable("reg.local/app:1", "sha256:a1").Pullable("reg.local/web:1", "sha256:w1");

    private static async Task<IReadOnlyList<ServiceResult>> DeployAsync(FakeEngine engine, TestStack folder)
    {
        var stack = folder.Load();
        var plan = await SwarmPlanner.PlanAsync(engine, stack, stack.Services, NullReporter.Instance, _ => null, CancellationToken.None);
        return await new SwarmDeployer(engine, NullReporter.Instance).DeployAsync(plan, plan.Services, TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public async Task Networks_come_first_then_services_in_dependency_order()
    {
        using var folder = new TestStack(Compose);
        var engine = Manager();

        var results = await DeployAsync(engine, folder);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(["dep_backend", "dep_default"], engine.CallsOf("create-network").Order());
        Assert.Equal(["dep_db", "dep_app", "dep_web"], engine.CallsOf("create-service"));
        Assert.True(engine.Calls.ToList().FindLastIndex(c => c.StartsWith("create-network ", StringComparison.Ordinal))
            < engine.Calls.ToList().FindIndex(c => c.StartsWith("create-service ", StringComparison.Ordinal)));
    }

    // db and cache are independent; app needs db, web needs app.
    private const string Wide = """
        name: dep
        services:
          db: {image: reg.local/db:1}
          cache: {image: reg.local/cache:1}
          app: {image: reg.local/app:1, depends_on: [db]}
          web: {image: reg.local/web:1, depends_on: {app: {condition: service_healthy}}}
        """;

    private static FakeEngine WideManager() => Manager().Pullable("reg.local/cache:1", "sha256:c1");

    [Fact]
    public async Task Independent_services_deploy_at_the_same_time_and_a_dependent_waits_for_its_dependency()
    {
        using var folder = new TestStack(Wide);
        var cacheCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // db's create completes only once cache's create has begun: one after the other, this never finishes.
        var engine = WideManager()
            .Inject("create-service", "dep_db", token => cacheCreated.Task.WaitAsync(token))
            .When("create-service", "dep_cache", () => cacheCreated.TrySetResult());

        var results = await DeployAsync(engine, folder).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        var creates = engine.CallsOf("create-service").ToList();
        Assert.True(creates.IndexOf("dep_db") < creates.IndexOf("dep_app"));
        Assert.True(creates.IndexOf("dep_app") < creates.IndexOf("dep_web"));
    }

    [Fact]
    public async Task Results_come_back_in_plan_order_whatever_order_the_services_finish_in()
    {
        using var folder = new TestStack(Wide);
        var engine = WideManager().Inject("create-service", "dep_db", token => Task.Delay(300, token));
        var stack = folder.Load();
        var plan = await SwarmPlanner.PlanAsync(engine, stack, stack.Services, NullReporter.Instance, _ => null, CancellationToken.None);

        var reporter = new RecordingReporter();

        var results = await new SwarmDeployer(engine, reporter).DeployAsync(plan, plan.Services, TimeSpan.FromSeconds(5), CancellationToken.None);

        var done = reporter.ProgressLines.Where(l => l.EndsWith(": done", StringComparison.Ordinal)).ToList();
        Assert.True(done.IndexOf("cache: done") < done.IndexOf("db: done"), string.Join(", ", done));
        Assert.Equal(plan.Services.Select(s => s.Service.Name), results.Select(r => r.Name));
    }

    [Fact]
    public async Task A_failed_service_skips_its_dependents_down_the_chain_and_the_others_still_deploy()
    {
        using var folder = new TestStack(Wide);
        var engine = WideManager().Fail("create-service", "dep_db");

        var results = (await DeployAsync(engine, folder)).ToDictionary(r => r.Name);

        Assert.Equal((ServiceAction.Create, false, ErrorIds.EngineError), (results["db"].Action, results["db"].Succeeded, results["db"].ErrorId));
        foreach (var name in new[] { "app", "web" })
        {
            Assert.Equal((ServiceAction.Skipped, false, ErrorIds.DependencyFailed), (results[name].Action, results[name].Succeeded, results[name].ErrorId));
        }

        Assert.Contains("its dependency db failed", results["app"].Error);
        Assert.Contains("its dependency app failed", results["web"].Error);
        Assert.True(results["cache"].Succeeded, results["cache"].Error);
        Assert.Equal(["dep_cache"], engine.CallsOf("create-service").Where(n => n != "dep_db"));
    }

    [Fact]
    public async Task A_declined_service_is_skipped_without_an_error_and_its_dependents_still_deploy()
    {
        using var folder = new TestStack(Wide);
        var engine = WideManager();
        var stack = folder.Load();
        var plan = await SwarmPlanner.PlanAsync(engine, stack, stack.Services, NullReporter.Instance, _ => null, CancellationToken.None);

        var results = (await new SwarmDeployer(engine, NullReporter.Instance)
            .DeployAsync(plan, plan.Services.Where(s => s.Service.Name != "db").ToList(), TimeSpan.FromSeconds(5), CancellationToken.None)).ToDictionary(r => r.Name);

        Assert.Equal((ServiceAction.Skipped, true, string.Empty), (results["db"].Action, results["db"].Succeeded, results["db"].ErrorId));
        Assert.All(new[] { "cache", "app", "web" }, n => Assert.Equal((ServiceAction.Create, true), (results[n].Action, results[n].Succeeded)));
        Assert.DoesNotContain("dep_db", engine.CallsOf("create-service"));
    }

    [Fact]
    public async Task An_unreachable_engine_stops_the_deploy_and_is_what_it_throws()
    {
        using var folder = new TestStack(Wide);
        var engine = WideManager().Hang("create-service", "dep_cache")
            .Fail("create-service", "dep_db", new DatamancyException(ErrorIds.EngineUnreachable, ErrorKind.ConnectionError, "engine gone", null));

        var error = await Assert.ThrowsAsync<DatamancyException>(() => DeployAsync(engine, folder).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(ErrorIds.EngineUnreachable, error.ErrorId);
        Assert.DoesNotContain("dep_app", engine.CallsOf("create-service"));
    }

    [Fact]
    public async Task A_second_deploy_of_the_same_stack_changes_nothing()
    {
        using var folder = new TestStack(Compose);
        var engine = Manager();
        await DeployAsync(engine, folder);

        var results = await DeployAsync(engine, folder);

        Assert.All(results, r => Assert.Equal(ServiceAction.Unchanged, r.Action));
        Assert.Empty(engine.CallsOf("update-service"));
    }

    [Fact]
    public async Task A_rolled_back_update_is_a_failure_with_the_reason_and_its_dependents_are_skipped()
    {
        using var folder = new TestStack(Compose);
        var engine = Manager();
        await DeployAsync(engine, folder);
        engine.Pullable("reg.local/app:1", "sha256:a2");
        engine.FailingServices.Add("dep_app");

        var results = (await DeployAsync(engine, folder)).ToDictionary(r => r.Name);

        var app = results["app"];
        Assert.True(app.ErrorId == ErrorIds.SwarmRolledBack, app.Error);
        Assert.False(app.Succeeded);
        Assert.Equal(ServiceAction.Update, app.Action);
        Assert.Equal(ErrorIds.SwarmRolledBack, app.ErrorId);
        Assert.Contains("rolled it back", app.Error);
        Assert.Contains("non-zero exit", app.Error);
        Assert.Equal((ServiceAction.Skipped, ErrorIds.DependencyFailed), (results["web"].Action, results["web"].ErrorId));
        Assert.True(results["db"].Succeeded);
    }

    [Fact]
    public async Task A_stop_scales_to_zero_in_reverse_order_and_the_next_start_scales_back()
    {
        using var folder = new TestStack(Compose);
        var engine = Manager();
        await DeployAsync(engine, folder);
        var stack = folder.Load();

        var steps = await SwarmStopper.PlanAsync(engine, stack, stack.Services, remove: false, CancellationToken.None);
        await new SwarmStopper(engine, NullReporter.Instance).StopAsync(stack, steps, removeNetworks: false, CancellationToken.None);
        var restart = await DeployAsync(engine, folder);

        Assert.Equal(["web", "app", "db"], steps.Select(s => s.Service.Name));
        Assert.All(steps, s => Assert.Equal(ServiceAction.Stop, s.Action));
        Assert.All(restart, r => Assert.Equal(ServiceAction.Update, r.Action));
    }

    [Fact]
    public async Task A_removal_takes_the_stacks_services_and_networks_only()
    {
        using var folder = new TestStack(Compose);
        var engine = Manager().AddNetwork("someone_else");
        await DeployAsync(engine, folder);
        var stack = folder.Load();

        var steps = await SwarmStopper.PlanAsync(engine, stack, stack.Services, remove: true, CancellationToken.None);
        await new SwarmStopper(engine, NullReporter.Instance).StopAsync(stack, steps, removeNetworks: true, CancellationToken.None);

        Assert.Empty(engine.Services);
        Assert.Equal(["someone_else"], engine.NetworkNames);
    }
}
