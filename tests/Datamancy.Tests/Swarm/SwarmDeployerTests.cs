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
