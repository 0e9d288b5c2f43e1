using System.Diagnostics;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Orchestrators;

/// <summary>The Stopper on the fake engine: reverse dependency order, what it keeps, what a refusal or a cancellation leaves.</summary>
public sealed class StopperTests
{
    // As the Stop cmdlets do: plan from the live state, then carry out every step.
    private static async Task<IReadOnlyList<ServiceResult>> StopAsync(OrchestratorStack stack, string[] names, bool remove = false, bool removeVolumes = false,
        bool force = false, CancellationToken cancellationToken = default, Stopper? stopper = null)
    {
        var plan = await Stopper.PlanAsync(stack.Engine, stack.Stack, stack.Services(names), remove, removeVolumes, force, cancellationToken);
        return await (stopper ?? new Stopper(stack.Engine, stack.Reporter)).StopAsync(plan, plan.Steps, null, cancellationToken);
    }

    private static void AddProjectNetworksAndVolumes(OrchestratorStack stack)
    {
        foreach (var key in new[] { "backend", "default" })
        {
            stack.Engine.AddNetwork($"orch_{key}", new Dictionary<string, string> { [ComposeLabels.Project] = "orch", [ComposeLabels.Network] = key });
        }

        stack.Engine.AddVolume("orch_dbdata", new Dictionary<string, string> { [ComposeLabels.Project] = "orch", [ComposeLabels.Volume] = "dbdata" });
        stack.Engine.AddVolume("shared");
    }

    [Fact]
    public async Task Stops_dependents_before_their_dependencies()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();

        var results = await StopAsync(stack, []);

        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Name}: {r.Error}"));
        Assert.All(results, r => Assert.Equal(ContainerState.Exited, r.State));
        var stops = stack.Engine.CallsOf("stop");
        stops.Before("web", "app");
        stops.Before("app", "db");
        stops.Before("app", "cache");
        Assert.DoesNotContain("migrate", stops);
        Assert.DoesNotContain(stack.Engine.Containers, c => c.IsRunning);
    }

    [Fact]
    public async Task Keeps_what_a_running_service_outside_the_selection_needs_unless_forced()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();

        var plan = await Stopper.PlanAsync(stack.Engine, stack.Stack, stack.Services(["db", "app"]), false, false, false, CancellationToken.None);
        var results = await StopAsync(stack, ["db", "app"]);

        // web runs and needs app, which needs db: both are kept, and the plan says why (the cmdlet warns with it).
        Assert.All(results, r => Assert.Equal((ServiceAction.Kept, true), (r.Action, r.Succeeded)));
        Assert.Empty(stack.Engine.CallsOf("stop"));
        Assert.Equal(2, plan.Steps.Count(s => s.Action == ServiceAction.Kept && s.Note.Contains("is kept", StringComparison.Ordinal)));

        var forced = await StopAsync(stack, ["db", "app"], force: true);

        Assert.All(forced, r => Assert.Equal(ServiceAction.Stop, r.Action));
        stack.Engine.CallsOf("stop").Before("app", "db");
    }

    [Fact]
    public async Task A_service_that_cannot_be_stopped_is_reported_and_the_others_stop()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        stack.Engine.Fail("stop", "other");

        var results = await StopAsync(stack, []);

        var other = results.Of("other");
        Assert.Equal((false, ErrorIds.ServiceFailed), (other.Succeeded, other.ErrorId));
        Assert.StartsWith("Service 'other' could not be stopped: ", other.Error);
        Assert.Equal(["other"], results.Where(r => !r.Succeeded).Select(r => r.Name));
        Assert.Equal(["other"], stack.Engine.Containers.Where(c => c.IsRunning).Select(c => c.Service));
    }

    [Fact]
    public async Task A_dependent_that_cannot_be_stopped_keeps_its_dependencies_running()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        stack.Engine.Fail("stop", "app");

        var results = await StopAsync(stack, []);

        Assert.Equal(ErrorIds.ServiceFailed, results.Of("app").ErrorId);
        foreach (var name in new[] { "db", "cache" })
        {
            var result = results.Of(name);
            Assert.Equal((false, ErrorIds.DependencyFailed), (result.Succeeded, result.ErrorId));
            Assert.Contains("app, which depends on it, could not be stopped", result.Error);
        }

        Assert.Equal(["app", "cache", "db"], stack.Engine.Containers.Where(c => c.IsRunning).Select(c => c.Service).Order());
        Assert.True(results.Of("web").Succeeded);
        Assert.True(results.Of("other").Succeeded);
    }

    [Fact]
    public async Task A_container_gone_meanwhile_counts_as_stopped()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        stack.Engine.Fail("stop", "cache", FakeEngine.Refusal(ErrorIds.EngineObjectNotFound, "No such container"));

        var results = await StopAsync(stack, ["cache"], force: true);

        Assert.Equal((true, ContainerState.Removed), (results.Of("cache").Succeeded, results.Of("cache").State));
    }

    [Fact]
    public async Task Remove_takes_the_containers_then_the_networks_and_volumes_nothing_uses()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        AddProjectNetworksAndVolumes(stack);

        var results = await StopAsync(stack, [], remove: true, removeVolumes: true);

        Assert.All(results, r => Assert.Equal((ServiceAction.Remove, true, ContainerState.Removed), (r.Action, r.Succeeded, r.State)));
        Assert.Empty(stack.Engine.Containers);
        Assert.Empty(stack.Engine.NetworkNames);
        Assert.Equal(["shared"], stack.Engine.VolumeNames);
    }

    [Fact]
    public async Task Removing_some_services_keeps_the_networks_and_volumes_others_use()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        AddProjectNetworksAndVolumes(stack);

        await StopAsync(stack, ["web", "other"], remove: true, removeVolumes: true);

        Assert.Equal(["orch_backend", "orch_default"], stack.Engine.NetworkNames.Order());
        Assert.Equal(["orch_dbdata", "shared"], stack.Engine.VolumeNames.Order());
        Assert.Null(stack.Engine.ContainerOf("web"));
    }

    [Fact]
    public async Task A_network_the_engine_keeps_refusing_is_left_with_a_warning()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        AddProjectNetworksAndVolumes(stack);
        stack.Engine.Fail("remove-network", "orch_backend");
        var stopper = new Stopper(stack.Engine, stack.Reporter) { NetworkRetryWindow = TimeSpan.FromMilliseconds(20), NetworkRetryDelay = TimeSpan.FromMilliseconds(1) };

        await StopAsync(stack, [], remove: true, stopper: stopper);

        Assert.Equal(["orch_backend"], stack.Engine.NetworkNames);
        Assert.Contains(stack.Reporter.Warnings, w => w.StartsWith("The network orch_backend was not removed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_network_refused_right_after_the_stop_is_retried()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        AddProjectNetworksAndVolumes(stack);
        var refusals = 2;
        stack.Engine.Inject("remove-network", "orch_backend", _ => Interlocked.Decrement(ref refusals) >= 0
            ? throw FakeEngine.Refusal(ErrorIds.EngineError, "has active endpoints")
            : Task.CompletedTask);
        var stopper = new Stopper(stack.Engine, stack.Reporter) { NetworkRetryDelay = TimeSpan.FromMilliseconds(1) };

        await StopAsync(stack, [], remove: true, stopper: stopper);

        Assert.Empty(stack.Engine.NetworkNames);
        Assert.Empty(stack.Reporter.Warnings);
    }

    [Fact]
    public async Task Cancelling_stops_promptly_and_leaves_dependencies_running_under_running_dependents()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        using var cancel = new CancellationTokenSource();
        stack.Engine.When("stop", "web", cancel.Cancel);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StopAsync(stack, [], cancellationToken: cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        // The stop under way when Ctrl+C came is finished (the engine would finish it anyway); nothing after it starts.
        var running = stack.Engine.Containers.Where(c => c.IsRunning).Select(c => c.Service).ToHashSet();
        Assert.DoesNotContain("web", running);
        Assert.Contains("app", running);
        Assert.Contains("db", running);
        Assert.Contains("cache", running);
    }

    [Fact]
    public async Task Remove_takes_the_containers_an_interrupted_recreate_left_and_then_the_project_s_networks()
    {
        using var stack = new OrchestratorStack();
        AddProjectNetworksAndVolumes(stack);
        stack.AllRunning();
        var leftover = stack.Existing("db", ContainerState.Created);
        leftover.Name = "0123456789ab_" + stack.Engine.ContainerOf("db")!.Name;
        var own = stack.Engine.Containers.First(c => c.Service == "db" && c != leftover);

        var plan = await Stopper.PlanAsync(stack.Engine, stack.Stack, stack.Services([]), true, false, false, CancellationToken.None);
        var results = await StopAsync(stack, [], remove: true);

        var db = plan.Steps.Single(s => s.Service.Name == "db");
        Assert.Equal([leftover.Name], db.Leftovers.Select(c => c.Name));
        Assert.Contains($"with {leftover.Name} left by an interrupted recreate", db.Describe(false), StringComparison.Ordinal);
        Assert.Equal(own.Id[..12], results.Single(r => r.Name == "db").ContainerId);
        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Name}: {r.Error}"));
        Assert.Empty(stack.Engine.Containers);
        Assert.Equal(2, stack.Engine.CallsOf("remove-network").Count);
        Assert.Contains(stack.Reporter.VerboseLines, v => v.Contains($"Removed {leftover.Name}, left by an interrupted recreate.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_running_leftover_is_stopped_even_when_the_service_s_own_container_is_not_running()
    {
        using var stack = new OrchestratorStack();
        var own = stack.Existing("cache", ContainerState.Exited);
        var leftover = stack.Existing("cache", ContainerState.Running);
        leftover.Name = "0123456789ab_" + own.Name;

        var results = await StopAsync(stack, ["cache"]);

        Assert.Equal((ServiceAction.Stop, true), (results.Single().Action, results.Single().Succeeded));
        Assert.False(leftover.IsRunning);
        Assert.Equal(2, stack.Engine.Containers.Count);
    }
}
