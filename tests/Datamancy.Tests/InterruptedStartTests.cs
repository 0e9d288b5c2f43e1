using Datamancy.Engine;
using Datamancy.Stack.Model;

namespace Datamancy.Tests;

/// <summary>The states a start, recreate or stop cut off by SIGKILL, Ctrl+C or an engine restart leaves, and how the next start reads them.</summary>
public sealed class InterruptedStartTests : IDisposable
{
    private const string OldId = "0123456789ab0000";
    private const string NewId = "fedcba9876540000";
    private readonly TestStack _stack = new("""
        services:
          db:
            image: db:1
            healthcheck: {test: ["CMD", "true"], interval: 1s}
        """, env: "COMPOSE_PROJECT_NAME=proj\n");

    public void Dispose() => _stack.Dispose();

    private ServiceDefinition Db => _stack.Load().FindService("db")!;

    private LiveContainer Container(string id, string name, string state, DateTime created, HealthStatus health = HealthStatus.Healthy) =>
        new(id, name, "db", Enum.Parse<ContainerState>(state, true), health, state == "running" ? "Up 3 seconds (healthy)" : "Created", "sha256:a", created, [],
            new Dictionary<string, string> { [ComposeLabels.Fingerprint] = ServiceHasher.ContainerFingerprint(Db, "sha256:a"), [ComposeLabels.Service] = "db" });

    private ServicePlan Plan(params LiveContainer[] containers) =>
        Planner.Plan("proj", Db, new ResolvedImage("sha256:a", false), ContainerObserver.Sort("proj", containers), force: false);

    [Fact]
    public void Recognises_only_a_recreate_s_temporary_name()
    {
        Assert.True(ContainerObserver.IsTemporaryName("0123456789ab_proj-db-1", "proj-db-1"));
        Assert.False(ContainerObserver.IsTemporaryName("proj-db-1", "proj-db-1"));
        Assert.False(ContainerObserver.IsTemporaryName("0123456789AB_proj-db-1", "proj-db-1"));
        Assert.False(ContainerObserver.IsTemporaryName("x123456789ab_proj-db-1", "proj-db-1"));
        Assert.False(ContainerObserver.IsTemporaryName("0123456789ab_proj-db-10", "proj-db-1"));
    }

    [Fact]
    public void Cut_off_before_the_old_container_went_the_temporary_one_is_removed_and_the_running_one_kept()
    {
        // The killed recreate made the new container (created, never started) beside the running old one.
        var old = Container(OldId, "proj-db-1", "running", DateTime.UtcNow.AddMinutes(-5));
        var temporary = Container(NewId, "0123456789ab_proj-db-1", "created", DateTime.UtcNow);
        var plan = Plan(temporary, old);
        Assert.Equal((ServiceAction.Unchanged, OldId), (plan.Action, plan.Existing!.Id));
        Assert.Equal(NewId, Assert.Single(plan.Leftovers).Id);
        Assert.Null(plan.RenameTo);
        Assert.False(plan.IsNoOp);
        Assert.Contains("first removes 0123456789ab_proj-db-1, left by an interrupted recreate", plan.Describe());
    }

    [Fact]
    public void A_stopped_old_container_beside_its_temporary_replacement_is_the_service_s_and_the_replacement_goes()
    {
        var old = Container(OldId, "proj-db-1", "exited", DateTime.UtcNow.AddMinutes(-5));
        var temporary = Container(NewId, "0123456789ab_proj-db-1", "created", DateTime.UtcNow);
        var plan = Plan(old, temporary);
        Assert.Equal((ServiceAction.Start, OldId), (plan.Action, plan.Existing!.Id));
        Assert.Equal(NewId, Assert.Single(plan.Leftovers).Id);
    }

    [Fact]
    public void Cut_off_between_removal_and_rename_the_temporary_container_takes_the_service_s_name_back_and_starts()
    {
        var plan = Plan(Container(NewId, "0123456789ab_proj-db-1", "created", DateTime.UtcNow));
        Assert.Equal((ServiceAction.Start, NewId), (plan.Action, plan.Existing!.Id));
        Assert.Equal("proj-db-1", plan.RenameTo);
        Assert.Empty(plan.Leftovers);
        Assert.Contains("first renames 0123456789ab_proj-db-1, left by an interrupted recreate, back to proj-db-1", plan.Describe());
    }

    [Fact]
    public void Several_temporary_containers_keep_the_newest_and_remove_the_others()
    {
        var older = Container("aaaaaaaaaaaa0000", "0123456789ab_proj-db-1", "created", DateTime.UtcNow.AddMinutes(-1));
        var newer = Container("bbbbbbbbbbbb0000", "1111111111ab_proj-db-1", "created", DateTime.UtcNow);
        var plan = Plan(older, newer);
        Assert.Equal("bbbbbbbbbbbb0000", plan.Existing!.Id);
        Assert.Equal("aaaaaaaaaaaa0000", Assert.Single(plan.Leftovers).Id);
    }

    [Fact]
    public void A_container_created_but_never_started_under_its_own_name_is_started_not_recreated()
    {
        var plan = Plan(Container(NewId, "proj-db-1", "created", DateTime.UtcNow, HealthStatus.None));
        Assert.Equal((ServiceAction.Start, "container is created"), (plan.Action, plan.Reason));
        Assert.True(plan.Leftovers.Count == 0 && plan.RenameTo is null);
    }

    [Fact]
    public void A_forced_recreate_of_a_temporary_container_replaces_it_without_renaming_it_first()
    {
        var temporary = Container(NewId, "0123456789ab_proj-db-1", "created", DateTime.UtcNow);
        var plan = Planner.Plan("proj", Db, new ResolvedImage("sha256:a", false), ContainerObserver.Sort("proj", [temporary]), force: true);
        Assert.Equal(ServiceAction.Recreate, plan.Action);
        Assert.Null(plan.RenameTo);
    }

    [Fact]
    public void A_running_healthy_container_is_a_no_op()
    {
        var plan = Plan(Container(OldId, "proj-db-1", "running", DateTime.UtcNow));
        Assert.True(plan.IsNoOp);
        Assert.Equal("Unchanged (running)", plan.Describe());
    }

    [Fact]
    public void A_health_change_before_the_read_does_not_undo_what_the_read_saw_and_a_later_one_counts()
    {
        using var tracker = new EventTracker();
        var before = EventTracker.Now() - 1_000_000;
        var readAt = EventTracker.Now();
        tracker.Seed(OldId, true, HealthStatus.Healthy, null, readAt);
        tracker.Report(new EngineEvent("container", "health_status: starting", OldId, new Dictionary<string, string>(), before));
        Assert.Equal(HealthStatus.Healthy, tracker.Get(OldId)!.Health);
        tracker.Report(new EngineEvent("container", "health_status: unhealthy", OldId, new Dictionary<string, string>(), readAt + 1));
        Assert.Equal(HealthStatus.Unhealthy, tracker.Get(OldId)!.Health);
    }

    [Fact]
    public async Task A_health_condition_met_before_the_wait_begins_counts_as_met()
    {
        // The healthy event came (and was replayed) before the wait started: the wait must not need another one.
        using var tracker = new EventTracker();
        var readAt = EventTracker.Now();
        tracker.Seed(OldId, true, HealthStatus.Starting, null, readAt);
        tracker.Report(new EngineEvent("container", "health_status: healthy", OldId, new Dictionary<string, string>(), readAt + 1));
        var verdict = await tracker.WaitAsync(OldId, s => s.HealthyVerdict, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.True(verdict);
    }
}
