using System.Diagnostics;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Orchestrators;

/// <summary>The Restarter on the fake engine: it waits for each service to be healthy (or running) again, and one failure stays with its service.</summary>
public sealed class RestarterTests
{
    // As Restart-DatamancyService does: plan from the live state, then restart every step.
    private static async Task<IReadOnlyList<ServiceResult>> RestartAsync(OrchestratorStack stack, string[] names, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var steps = await Restarter.PlanAsync(stack.Engine, stack.Stack, stack.Services(names), cancellationToken);
        return await new Restarter(stack.Engine, stack.Reporter).RestartAsync(stack.Stack, steps, timeout ?? TimeSpan.FromSeconds(10), cancellationToken);
    }

    [Fact]
    public async Task Restarts_in_place_and_waits_for_health_again()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        var db = stack.Engine.ContainerOf("db")!;

        var results = await RestartAsync(stack, ["db", "cache"]);

        Assert.All(results, r => Assert.Equal((ServiceAction.Restart, true, ContainerState.Running), (r.Action, r.Succeeded, r.State)));
        Assert.Equal(HealthStatus.Healthy, results.Of("db").Health);
        Assert.Equal(db.Id[..12], results.Of("db").ContainerId);
        Assert.Same(db, stack.Engine.ContainerOf("db"));
        stack.Engine.Events.Before("start db", "health_status: healthy db");
        Assert.Equal(["cache", "db"], stack.Engine.CallsOf("restart").Order());
    }

    [Fact]
    public async Task A_service_without_a_container_fails_alone_with_ContainerNotFound()
    {
        using var stack = new OrchestratorStack();
        stack.Existing("cache", ContainerState.Running);

        var results = await RestartAsync(stack, ["other", "cache"]);

        var other = results.Of("other");
        Assert.Equal((false, ErrorIds.ContainerNotFound), (other.Succeeded, other.ErrorId));
        Assert.Contains("Start-DatamancyService -Name other", other.Error);
        Assert.True(results.Of("cache").Succeeded);
    }

    [Fact]
    public async Task A_refused_restart_fails_that_service_only()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        stack.Engine.Fail("restart", "cache");

        var results = await RestartAsync(stack, ["cache", "other"]);

        Assert.Equal(ErrorIds.ServiceFailed, results.Of("cache").ErrorId);
        Assert.StartsWith("Service 'cache' could not be restarted: ", results.Of("cache").Error);
        Assert.True(results.Of("other").Succeeded);
    }

    [Fact]
    public async Task Unhealthy_after_the_restart_is_ServiceUnhealthy()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        stack.Engine.Script("db", ContainerScript.Unhealthy());

        var results = await RestartAsync(stack, ["db"]);

        Assert.Equal(ErrorIds.ServiceUnhealthy, results.Of("db").ErrorId);
        Assert.Equal("Service 'db' did not become healthy after the restart. See Get-DatamancyLog -Name db.", results.Of("db").Error);
    }

    [Fact]
    public async Task A_crash_after_the_restart_says_the_exit_code()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        stack.Engine.Script("db", ContainerScript.Exits(2));

        var results = await RestartAsync(stack, ["db"]);

        Assert.Equal(ErrorIds.ServiceUnhealthy, results.Of("db").ErrorId);
        Assert.Contains("did not become healthy after the restart (it exited with code 2)", results.Of("db").Error);
    }

    [Fact]
    public async Task Without_a_healthcheck_running_again_is_enough()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        stack.Engine.Script("cache", ContainerScript.StaysStarting);

        var results = await RestartAsync(stack, ["cache"], TimeSpan.FromMinutes(5));

        Assert.Equal((true, ContainerState.Running, HealthStatus.None), (results.Of("cache").Succeeded, results.Of("cache").State, results.Of("cache").Health));
    }

    [Fact]
    public async Task A_healthcheck_that_never_answers_times_out()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        stack.Engine.Script("db", ContainerScript.StaysStarting);

        var results = await RestartAsync(stack, ["db"], TimeSpan.FromMilliseconds(50));

        Assert.Contains("did not become healthy within 0 s after the restart", results.Of("db").Error);
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_promptly()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        stack.Engine.Script("db", ContainerScript.StaysStarting);
        using var cancel = new CancellationTokenSource();
        stack.Engine.When("restart", "db", () => cancel.CancelAfter(TimeSpan.FromMilliseconds(20)));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RestartAsync(stack, ["db", "cache"], TimeSpan.FromMinutes(5), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.True(stack.Engine.ContainerOf("db")!.IsRunning);
    }
}
