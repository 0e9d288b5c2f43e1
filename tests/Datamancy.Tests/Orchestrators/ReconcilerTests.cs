using System.Diagnostics;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Orchestrators;

/// <summary>The Reconciler on the fake engine: what it starts, in which order, and what a failure or a cancellation does to the rest.</summary>
public sealed class ReconcilerTests
{
    [Fact]
    public async Task Starts_every_service_after_its_dependencies_meet_their_conditions()
    {
        using var stack = new OrchestratorStack();

        var results = await stack.ConvergeAsync();

        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Name}: {r.Error}"));
        Assert.All(results, r => Assert.Equal(ServiceAction.Create, r.Action));
        var starts = stack.Engine.CallsOf("start");
        Assert.Equal(stack.Stack.Services.Select(s => s.Name).Order(), starts.Order());
        starts.Before("db", "app");
        starts.Before("cache", "app");
        starts.Before("app", "web");
        starts.Before("migrate", "worker");

        // A service_healthy dependent starts only once its dependency was seen healthy; a completed one once it exited 0.
        var events = stack.Engine.Events;
        events.Before("health_status: healthy db", "start app");
        events.Before("die migrate", "start worker");
        Assert.Equal(HealthStatus.Healthy, results.Of("db").Health);
        Assert.Equal(ContainerState.Exited, results.Of("migrate").State);
    }

    [Fact]
    public async Task Creates_the_project_network_and_volume_but_not_an_external_one()
    {
        using var stack = new OrchestratorStack();

        await stack.ConvergeAsync();

        Assert.Contains("orch_backend", stack.Engine.NetworkNames);
        Assert.Contains("orch_dbdata", stack.Engine.VolumeNames);
        Assert.DoesNotContain("shared", stack.Engine.VolumeNames);
        Assert.Contains("orch_default", stack.Engine.ContainerOf("app")!.ConnectedNetworks);
    }

    [Fact]
    public async Task A_dependency_that_fails_to_start_fails_its_dependents_and_not_the_others()
    {
        using var stack = new OrchestratorStack();
        stack.Engine.Fail("start", "db");

        var results = await stack.ConvergeAsync();

        var db = results.Of("db");
        Assert.False(db.Succeeded);
        Assert.Equal(ErrorIds.ServiceFailed, db.ErrorId);
        Assert.Contains("could not be created", db.Error);

        var app = results.Of("app");
        Assert.Equal((false, ServiceAction.Skipped, ErrorIds.DependencyFailed), (app.Succeeded, app.Action, app.ErrorId));
        Assert.Equal("Service 'app' was not started: its dependency db failed.", app.Error);
        var web = results.Of("web");
        Assert.Equal((false, ServiceAction.Skipped, ErrorIds.DependencyFailed), (web.Succeeded, web.Action, web.ErrorId));
        Assert.Contains("its dependency app failed", web.Error);

        Assert.All(results.Where(r => r.Name is "cache" or "migrate" or "worker" or "other"), r => Assert.True(r.Succeeded, $"{r.Name}: {r.Error}"));
        Assert.DoesNotContain("app", stack.Engine.CallsOf("start"));
        Assert.DoesNotContain("web", stack.Engine.CallsOf("start"));
    }

    [Fact]
    public async Task An_unhealthy_dependency_fails_its_dependent_with_the_last_healthcheck_output()
    {
        using var stack = new OrchestratorStack();
        stack.Engine.Script("db", ContainerScript.Unhealthy("connection refused"));

        var results = await stack.ConvergeAsync();

        var db = results.Of("db");
        Assert.Equal(ErrorIds.ServiceUnhealthy, db.ErrorId);
        Assert.Contains("did not become healthy; last healthcheck (exit 1): connection refused", db.Error);
        var app = results.Of("app");
        Assert.Equal(ErrorIds.DependencyFailed, app.ErrorId);
        Assert.Contains("db did not become healthy; last healthcheck (exit 1): connection refused", app.Error);
        Assert.True(results.Of("other").Succeeded);
    }

    [Fact]
    public async Task A_failed_job_fails_what_needs_it_completed_and_says_its_exit_code()
    {
        using var stack = new OrchestratorStack();
        stack.Engine.Script("migrate", ContainerScript.Exits(3));

        var results = await stack.ConvergeAsync();

        Assert.Equal("Job 'migrate' did not complete successfully (exit code 3). See Get-DatamancyLog -Name migrate.", results.Of("migrate").Error);
        Assert.Equal("Service 'worker' was not started: migrate did not complete successfully (exit code 3).", results.Of("worker").Error);
        Assert.DoesNotContain("worker", stack.Engine.CallsOf("start"));
        Assert.True(results.Of("web").Succeeded);
    }

    [Fact]
    public async Task A_dependency_that_never_gets_healthy_times_out_its_dependents()
    {
        using var stack = new OrchestratorStack();
        stack.Engine.Script("db", ContainerScript.StaysStarting);

        var results = await stack.ConvergeAsync(stack.Services("db", "app"), timeout: TimeSpan.FromMilliseconds(100));

        Assert.Equal(ErrorIds.ServiceUnhealthy, results.Of("db").ErrorId);
        Assert.Contains("did not become healthy within 0 s", results.Of("db").Error);
        Assert.Contains("db did not become healthy within 0 s", results.Of("app").Error);
    }

    [Fact]
    public async Task A_service_that_cannot_be_created_fails_alone()
    {
        using var stack = new OrchestratorStack();
        stack.Engine.Fail("create", "other");

        var results = await stack.ConvergeAsync();

        Assert.Equal(ErrorIds.ServiceFailed, results.Of("other").ErrorId);
        Assert.Equal(["other"], results.Where(r => !r.Succeeded).Select(r => r.Name));
    }

    [Fact]
    public async Task Leaves_running_containers_alone_and_starts_a_stopped_one_in_place()
    {
        using var stack = new OrchestratorStack();
        stack.AllRunning();
        var cache = stack.Engine.ContainerOf("cache")!;
        stack.Engine.Fail("create", "*");
        await stack.Engine.StopContainerAsync(cache.Id, TimeSpan.Zero, CancellationToken.None);

        var results = await stack.ConvergeAsync();

        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Name}: {r.Error}"));
        Assert.Equal(ServiceAction.Start, results.Of("cache").Action);
        Assert.All(results.Where(r => r.Name != "cache"), r => Assert.Equal(ServiceAction.Unchanged, r.Action));
        Assert.Equal(["cache"], stack.Engine.CallsOf("start"));
        Assert.Equal(cache.Id[..12], results.Of("cache").ContainerId);
    }

    [Fact]
    public async Task Recreates_a_changed_service_as_compose_does()
    {
        using var stack = new OrchestratorStack();
        var old = stack.Engine.AddContainer(stack.Project, "other", ContainerState.Running, imageId: stack.ImageId("other"));

        var results = await stack.ConvergeAsync(stack.Services("other"));

        var other = results.Of("other");
        Assert.Equal((true, ServiceAction.Recreate), (other.Succeeded, other.Action));
        var replacement = stack.Engine.ContainerOf("other")!;
        Assert.NotEqual(old.Id, replacement.Id);
        Assert.Equal("orch-other-1", replacement.Name);
        Assert.True(replacement.IsRunning);
        Assert.Equal(["create other", "stop other", "remove other", "rename other", "start other"],
            stack.Engine.Calls.Where(c => c.EndsWith(" other", StringComparison.Ordinal)));
        Assert.StartsWith(old.Id[..12] + "_", Assert.Single(stack.Engine.Containers, c => c.Service == "other").Spec!.Name);
    }

    [Fact]
    public async Task Cancelling_stops_the_work_promptly_and_starts_nothing_after()
    {
        using var stack = new OrchestratorStack();
        using var cancel = new CancellationTokenSource();
        stack.Engine.Script("db", ContainerScript.StaysStarting);
        stack.Engine.When("start", "db", cancel.Cancel);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stack.ConvergeAsync(cancellationToken: cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        var starts = stack.Engine.CallsOf("start");
        Assert.DoesNotContain("app", starts);
        Assert.DoesNotContain("web", starts);
        Assert.DoesNotContain(stack.Engine.Containers, c => c.IsRunning && c.Service is "app" or "web");
        Assert.DoesNotContain(stack.Engine.Containers, c => c.Name.Contains('_'));
    }

    [Fact]
    public async Task Cancelling_while_waiting_for_health_ends_the_wait()
    {
        using var stack = new OrchestratorStack();
        using var cancel = new CancellationTokenSource();
        stack.Engine.Script("db", ContainerScript.StaysStarting);
        var clock = Stopwatch.StartNew();
        var converging = stack.ConvergeAsync(stack.Services("db", "app"), timeout: TimeSpan.FromMinutes(5), cancellationToken: cancel.Token);
        while (stack.Engine.ContainerOf("db") is not { IsRunning: true })
        {
            await Task.Delay(1);
        }

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => converging);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.DoesNotContain("app", stack.Engine.CallsOf("start"));
    }
}
