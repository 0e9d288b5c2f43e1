using System.Text.Json;
using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Swarm;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Swarm;

public sealed class SwarmRestarterTests
{
    private const string Compose = """
        name: rs
        services:
          app:
            image: reg.local/app:1
            environment: {MODE: swarm}
            healthcheck: {test: ["CMD", "/health.sh"], interval: 1s, retries: 3}
          idle:
            image: reg.local/app:1
          stopped:
            image: reg.local/app:1
        """;

    private static async Task<FakeEngine> DeployedAsync(TestStack folder, params string[] services)
    {
        var stack = folder.Load();
        var engine = new FakeEngine { IsSwarmManager = true }.AddNode("n1", "manager").Pullable("reg.local/app:1", "sha256:a1");
        var plan = await SwarmPlanner.PlanAsync(engine, stack, [.. services.Select(s => stack.FindService(s)!)], NullReporter.Instance, _ => null, CancellationToken.None);
        await new SwarmDeployer(engine, NullReporter.Instance).DeployAsync(plan, plan.Services, TimeSpan.FromSeconds(5), CancellationToken.None);
        return engine;
    }

    private static async Task<IReadOnlyList<ServiceResult>> RestartAsync(FakeEngine engine, TestStack folder, params string[] services)
    {
        var stack = folder.Load();
        var plan = await SwarmRestarter.PlanAsync(engine, stack, [.. services.Select(s => stack.FindService(s)!)], CancellationToken.None);
        return await new SwarmRestarter(engine, NullReporter.Instance).RestartAsync(stack, plan, TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public async Task A_restart_raises_ForceUpdate_by_one_keeps_the_rest_of_the_spec_and_reports_the_new_task()
    {
        using var folder = new TestStack(Compose);
        var engine = await DeployedAsync(folder, "app");
        var service = engine.Services.Single();
        var before = JsonSerializer.Serialize(service.Spec);
        var force = service.Spec!.TaskTemplate!.ForceUpdate;
        var oldContainer = (await engine.ListTasksAsync(service.ID!, CancellationToken.None)).Single(t => t.DesiredState == "running").ContainerId;

        var result = Assert.Single(await RestartAsync(engine, folder, "app"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((ServiceAction.Restart, ContainerState.Running, HealthStatus.Healthy), (result.Action, result.State, result.Health));
        var after = engine.Services.Single().Spec!;
        Assert.Equal(force + 1, after.TaskTemplate!.ForceUpdate);
        after.TaskTemplate.ForceUpdate = force;
        Assert.Equal(before, JsonSerializer.Serialize(after));
        Assert.Equal(["rs_app"], engine.CallsOf("update-service"));
        var running = (await engine.ListTasksAsync(service.ID!, CancellationToken.None)).Single(t => t.DesiredState == "running");
        Assert.NotEqual(oldContainer, running.ContainerId);
        Assert.Equal(running.ContainerId[..12], result.ContainerId);
    }

    [Fact]
    public async Task A_restart_the_swarm_rolls_back_is_a_failure_with_the_reason()
    {
        using var folder = new TestStack(Compose);
        var engine = await DeployedAsync(folder, "app");
        engine.FailingServices.Add("rs_app");

        var result = Assert.Single(await RestartAsync(engine, folder, "app"));

        Assert.False(result.Succeeded);
        Assert.Equal(ErrorIds.SwarmRolledBack, result.ErrorId);
        Assert.Contains("rolled it back", result.Error);
    }

    [Fact]
    public async Task A_service_without_a_swarm_service_or_scaled_to_0_fails_in_the_plan_and_nothing_is_updated()
    {
        using var folder = new TestStack(Compose);
        var engine = await DeployedAsync(folder, "app", "stopped");
        var stack = folder.Load();
        await new SwarmStopper(engine, NullReporter.Instance).StopAsync(stack,
            await SwarmStopper.PlanAsync(engine, stack, [stack.FindService("stopped")!], false, CancellationToken.None), false, CancellationToken.None);
        var updates = engine.CallsOf("update-service").Count;

        var plan = await SwarmRestarter.PlanAsync(engine, stack, [stack.FindService("idle")!, stack.FindService("stopped")!], CancellationToken.None);
        var results = await new SwarmRestarter(engine, NullReporter.Instance).RestartAsync(stack, plan, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.All(plan, step => Assert.Null(step.Existing));
        Assert.Equal([ErrorIds.ContainerNotFound, ErrorIds.ContainerNotFound], results.Select(r => r.ErrorId));
        Assert.Contains("no swarm service", results[0].Error);
        Assert.Contains("0 tasks", results[1].Error);
        Assert.Equal(updates, engine.CallsOf("update-service").Count);
    }
}
