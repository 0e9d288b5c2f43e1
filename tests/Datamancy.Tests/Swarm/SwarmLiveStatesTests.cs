using Datamancy.Checks;
using Datamancy.Engine;
using Datamancy.Fingerprints;
using Datamancy.Reporting;
using Datamancy.Swarm;
using Datamancy.Tests.Fakes;
using Docker.DotNet.Models;

namespace Datamancy.Tests.Swarm;

public sealed class SwarmLiveStatesTests
{
    private const string Compose = "name: live\nservices:\n  db:\n    image: reg.local/db:1\n    profiles: [data]\n    healthcheck:\n      test: [CMD, true]\n" +
        "  app:\n    image: reg.local/app:1\n    profiles: [apps]\n    depends_on:\n      db: {condition: service_healthy}\n";

    private static readonly Func<string, string> NodeName = id => id.Replace("id-", string.Empty, StringComparison.Ordinal);

    private static SwarmService Service(ulong replicas = 1, bool healthcheck = true) => new()
    {
        ID = "svc",
        Spec = new ServiceSpec
        {
            Name = "live_db",
            Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = replicas } },
            TaskTemplate = new TaskSpec
            {
                ContainerSpec = new ContainerSpec
                {
                    Image = "reg.local:5000/db:1@sha256:abc",
                    Healthcheck = healthcheck ? new HealthcheckConfig { Test = ["CMD", "true"] } : null,
                },
            },
        },
    };

    private static SwarmTaskInfo Task(string state, string desired, string node, int secondsAgo, string error = "", string message = "") =>
        new("t" + secondsAgo, "svc", "id-" + node, 1, state, desired, message, error, "c0ffee0123456789", DateTime.UtcNow.AddSeconds(-secondsAgo), "reg.local:5000/db:1@sha256:abc");

    [Fact]
    public void A_service_whose_tasks_all_run_is_running_and_healthy_with_its_nodes_and_the_local_image_id()
    {
        using var folder = new TestStack(Compose);
        var images = new[] { new LocalImage("sha256:local", [], ["reg.local:5000/db@sha256:abc"], new Dictionary<string, string>(), DateTime.UtcNow) };

        var state = SwarmLiveStates.From(Service(), [Task("running", "running", "n2", 5), Task("shutdown", "shutdown", "n1", 60)], NodeName, images);

        Assert.Equal((ContainerState.Running, HealthStatus.Healthy, "1/1 tasks running on n2"), (state.State, state.Health, state.Status));
        Assert.Equal(("sha256:local", "reg.local:5000/db@sha256:abc", "c0ffee012345"), (state.ImageId, state.RepoDigest, state.ContainerId));
        Assert.Equal((true, "running, healthy: 1/1 tasks running on n2"), ContainerChecks.Container(folder.Load().FindService("db")!, state, Orchestrator.Swarm));
    }

    [Fact]
    public void Without_a_local_copy_the_image_is_the_manifest_digest_of_the_pinned_reference()
    {
        var state = SwarmLiveStates.From(Service(healthcheck: false), [Task("running", "running", "n1", 1)], NodeName, []);

        Assert.Equal(("sha256:abc", HealthStatus.None), (state.ImageId, state.Health));
        Assert.Equal(("reg.local/app@sha256:1", "sha256:1"), SwarmLiveStates.Pinned("reg.local/app:2@sha256:1"));
        Assert.Equal((string.Empty, string.Empty), SwarmLiveStates.Pinned("reg.local:5000/app:2"));
    }

    [Fact]
    public void A_service_that_cannot_run_fails_its_check_with_the_latest_tasks_state_and_error()
    {
        using var folder = new TestStack(Compose);
        var stack = folder.Load();
        var state = SwarmLiveStates.From(Service(), [
            Task("running", "shutdown", "n2", 30),
            Task("pending", "running", "n1", 2, error: "no suitable node (scheduling constraints not satisfied on 2 nodes)"),
        ], NodeName, []);

        var (passed, detail) = ContainerChecks.Container(stack.FindService("db")!, state, Orchestrator.Swarm);

        Assert.False(passed);
        Assert.Equal("not running: 0/1 tasks running; latest task pending on n1: no suitable node (scheduling constraints not satisfied on 2 nodes) (created); " +
            "start it with Start-DatamancyProfile -Orchestrator Swarm -Name data", detail);
        var dependencies = ContainerChecks.Dependencies(stack, stack.FindService("app")!, _ => state)!.Value;
        Assert.Equal((false, "db: created (0/1 tasks running; latest task pending on n1: no suitable node (scheduling constraints not satisfied on 2 nodes)), but app needs service_healthy"),
            dependencies);
    }

    [Theory]
    [InlineData("starting", ContainerState.Running, HealthStatus.Starting)]
    [InlineData("failed", ContainerState.Dead, HealthStatus.None)]
    [InlineData("preparing", ContainerState.Created, HealthStatus.None)]
    public void A_task_on_its_way_reads_as_the_container_state_it_stands_for(string task, ContainerState state, HealthStatus health)
    {
        var live = SwarmLiveStates.From(Service(), [Task(task, "running", "n1", 1, message: "m")], NodeName, []);

        Assert.Equal((state, health), (live.State, live.Health));
        Assert.Equal($"0/1 tasks running; latest task {task} on n1: m", live.Status);
    }

    [Fact]
    public void A_service_scaled_to_0_is_stopped()
    {
        var state = SwarmLiveStates.From(Service(replicas: 0), [], NodeName, []);

        Assert.Equal((ContainerState.Exited, "0/0 tasks running: scaled to 0 (stopped)"), (state.State, state.Status));
    }

    [Fact]
    public async Task A_deployed_stack_reads_as_states_that_fingerprint_like_compose_when_the_manager_holds_the_image()
    {
        using var folder = new TestStack(Compose);
        var stack = folder.Load();
        var engine = new FakeEngine { IsSwarmManager = true }.AddNode("n1", "manager").Pullable("reg.local/db:1", "sha256:d");
        var plan = await SwarmPlanner.PlanAsync(engine, stack, [stack.FindService("db")!], NullReporter.Instance, _ => null, CancellationToken.None);
        await engine.CreateServiceAsync(plan.Services[0].Spec, null, CancellationToken.None);
        var imageId = engine.AddImage("reg.local/db:1", "sha256:d");

        var states = await SwarmLiveStates.ReadAsync(engine, stack, CancellationToken.None);

        Assert.Equal(["db"], states.Keys);
        Assert.Equal((ContainerState.Running, HealthStatus.Healthy, "1/1 tasks running on n1"), (states["db"].State, states["db"].Health, states["db"].Status));
        var compose = new LiveState(ContainerState.Running, HealthStatus.Healthy, "c", "Up", null, imageId, "reg.local/db@sha256:d", []);
        var services = new[] { stack.FindService("db")! };
        var swarmParts = FingerprintCalculator.Compute(stack, services, states, _ => null, CancellationToken.None)[0].Parts!;
        var composeParts = FingerprintCalculator.Compute(stack, services, new Dictionary<string, LiveState> { ["db"] = compose }, _ => null, CancellationToken.None)[0].Parts!;
        Assert.Equal(composeParts, swarmParts);
    }
}
