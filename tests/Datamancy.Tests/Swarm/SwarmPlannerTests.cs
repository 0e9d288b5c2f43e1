using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Stack.Model;
using Datamancy.Swarm;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Swarm;

public sealed class SwarmPlannerTests
{
    private const string Compose = """
        name: plan
        services:
          db:
            image: reg.local/db:1
            volumes: [data:/data]
            networks: [backend]
          app:
            image: reg.local/app:1
            depends_on: {db: {condition: service_healthy}}
            networks: [backend, frontend]
        networks:
          frontend: {}
          backend: {internal: true}
        volumes:
          data: {}
        """;

    private static FakeEngine Manager() =>
        new FakeEngine { IsSwarmManager = true }.Pullable("reg.local/db:1", "sha256:d1").Pullable("reg.local/app:1", "sha256:a1");

    private static Task<SwarmPlan> PlanAsync(FakeEngine engine, StackDefinition stack) =>
        SwarmPlanner.PlanAsync(engine, stack, stack.Services, NullReporter.Instance, _ => null, CancellationToken.None);

    [Fact]
    public async Task A_first_deploy_creates_every_service_in_dependency_order_with_its_image_pinned_and_its_overlays()
    {
        using var folder = new TestStack(Compose);
        var plan = await PlanAsync(Manager(), folder.Load());

        Assert.Equal([("db", ServiceAction.Create), ("app", ServiceAction.Create)], plan.Services.Select(p => (p.Service.Name, p.Action)));
        Assert.Equal("reg.local/db:1@sha256:d1", plan.Services[0].Spec.TaskTemplate!.ContainerSpec!.Image);
        Assert.Equal(["plan_backend", "plan_frontend"], plan.MissingNetworks.Select(n => n.Name).Order());
        Assert.All(plan.MissingNetworks, n => Assert.Equal(("overlay", true), (n.Driver, n.Attachable)));
        Assert.True(plan.MissingNetworks.Single(n => n.Name == "plan_backend").Internal);
        Assert.Equal("plan", plan.MissingNetworks[0].Labels[SwarmLabels.Namespace]);
    }

    [Fact]
    public async Task A_service_whose_spec_hash_matches_is_unchanged_and_one_whose_image_moved_is_updated()
    {
        using var folder = new TestStack(Compose);
        var stack = folder.Load();
        var engine = Manager();
        foreach (var step in (await PlanAsync(engine, stack)).Services)
        {
            await engine.CreateServiceAsync(step.Spec, null, CancellationToken.None);
        }

        engine.Pullable("reg.local/app:1", "sha256:a2");
        var plan = await PlanAsync(engine, stack);

        Assert.Equal([ServiceAction.Unchanged, ServiceAction.Update], plan.Services.Select(p => p.Action));
        Assert.StartsWith("Update swarm service plan_app", plan.Services[1].Describe());
    }

    [Fact]
    public async Task An_image_no_registry_serves_is_refused_in_the_plan()
    {
        using var folder = new TestStack(Compose.Replace("reg.local/app:1", "local/built:dev"));
        var engine = Manager();
        engine.AddImage("local/built:dev");

        var error = await Assert.ThrowsAsync<DatamancyException>(() => PlanAsync(engine, folder.Load()));

        Assert.Equal(ErrorIds.SwarmImageNotInRegistry, error.ErrorId);
        Assert.Contains("'local/built:dev' of service 'app'", error.Message);
        Assert.Contains("holds it locally", error.Message);
        Assert.Contains("push the image", error.Message);
    }

    [Fact]
    public async Task An_engine_that_is_no_swarm_manager_is_refused()
    {
        using var folder = new TestStack(Compose);
        var error = await Assert.ThrowsAsync<DatamancyException>(() => PlanAsync(new FakeEngine(), folder.Load()));
        Assert.Equal(ErrorIds.SwarmNotManager, error.ErrorId);
    }
}
