using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Swarm;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Swarm;

public sealed class SwarmLogReaderTests
{
    private const string Compose = "name: logs\nservices:\n  app:\n    image: reg.local/app:1\n  idle:\n    image: reg.local/app:1\n";

    private static async Task<(FakeEngine Engine, string ServiceId, string TaskId)> DeployedAsync(TestStack folder)
    {
        var stack = folder.Load();
        var engine = new FakeEngine { IsSwarmManager = true }.AddNode("n1", "manager").AddNode("n2").Pullable("reg.local/app:1", "sha256:a1");
        var plan = await SwarmPlanner.PlanAsync(engine, stack, [stack.FindService("app")!], NullReporter.Instance, _ => null, CancellationToken.None);
        var id = await engine.CreateServiceAsync(plan.Services[0].Spec, null, CancellationToken.None);
        var task = (await engine.ListTasksAsync(id, CancellationToken.None)).Single();
        return (engine, id, task.Id);
    }

    // A line as the engine writes it with timestamps and details: time, the task's attributes (sorted, query-escaped), the text.
    private static string Line(string time, string node, string task, string text) =>
        $"{time} com.docker.swarm.node.id={node},com.docker.swarm.service.id=svc,com.docker.swarm.task.id={task} {text}\n";

    [Fact]
    public async Task Lines_carry_their_task_and_node_and_come_in_time_order_across_streams()
    {
        using var folder = new TestStack(Compose);
        var (engine, id, task) = await DeployedAsync(folder);
        engine.ServiceLogs["logs_app"] = [
            .. FakeEngine.Frame(1, Line("2026-01-02T03:04:05.000002Z", "id-n1", task, "second")),
            .. FakeEngine.Frame(2, Line("2026-01-02T03:04:05.000001Z", "id-n2", "oldtask", "first, on stderr")),
            .. FakeEngine.Frame(1, Line("2026-01-02T03:04:06Z", "id-n1", task, string.Empty)),
        ];

        var since = DateTimeOffset.UtcNow.AddMinutes(-5);
        var entries = await SwarmLogReader.ReadAllAsync(engine, NullReporter.Instance, "app", id, 10, since, CancellationToken.None);

        Assert.Equal(["first, on stderr", "second", ""], entries.Select(e => e.Message));
        Assert.Equal(("stderr", "oldtask", "n2"), (entries[0].Stream, entries[0].Task, entries[0].Node));
        Assert.Equal(("stdout", task, "n1", "app"), (entries[1].Stream, entries[1].Task, entries[1].Node, entries[1].Service));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero), entries[2].Timestamp);
        Assert.Equal(new LogQuery(10, since, false), Assert.Single(engine.ServiceLogQueries));
    }

    [Fact]
    public async Task A_frame_split_across_reads_and_a_line_across_frames_are_put_back_together()
    {
        var line = Line("2026-01-02T03:04:05Z", "id-n1", "t1", "héllo world");
        using var reader = FrameReader.Over(new TrickleStream([.. FakeEngine.Frame(1, line[..20]), .. FakeEngine.Frame(1, line[20..])]));
        var lines = new List<string>();
        await foreach (var (_, text) in OutputLines.ReadAsync(reader, CancellationToken.None))
        {
            lines.Add(text);
        }

        Assert.Equal("héllo world", SwarmLogReader.Parse("app", OutputTarget.StandardOutput, Assert.Single(lines), new Dictionary<string, SwarmNodeInfo>()).Message);
    }

    [Fact]
    public async Task A_stream_of_an_unknown_kind_is_an_engine_error_not_a_hang()
    {
        using var reader = FrameReader.Over(new MemoryStream([7, 0, 0, 0, 0, 0, 0, 1, 65]));

        var error = await Assert.ThrowsAsync<DatamancyException>(() => reader.ReadAsync(new byte[16], CancellationToken.None));

        Assert.Equal(ErrorIds.EngineError, error.ErrorId);
    }

    [Fact]
    public async Task The_engines_own_message_is_a_warning_with_host_names_and_the_lines_before_it_are_kept()
    {
        using var folder = new TestStack(Compose);
        var (engine, id, task) = await DeployedAsync(folder);
        engine.ServiceLogs["logs_app"] = [
            .. FakeEngine.Frame(1, Line("2026-01-02T03:04:05Z", "id-n1", task, "kept")),
            .. FakeEngine.Frame(3, "Error grabbing logs: rpc error: code = Unknown desc = warning: incomplete log stream. some logs could not be retrieved for the following reasons: node id-n2 is not available\n"),
        ];
        var reporter = new RecordingReporter();

        var entries = await SwarmLogReader.ReadAllAsync(engine, reporter, "app", id, null, null, CancellationToken.None);

        Assert.Equal("kept", Assert.Single(entries).Message);
        Assert.Contains("node n2 is not available", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public async Task A_task_on_a_node_that_is_down_is_said_before_reading_and_the_engines_message_is_not_repeated()
    {
        using var folder = new TestStack(Compose);
        var (engine, id, task) = await DeployedAsync(folder);
        engine.SetNodeState("n1", "down");
        engine.ServiceLogs["logs_app"] = FakeEngine.Frame(3, "Error grabbing logs: ... node id-n1 is not available\n");
        var reporter = new RecordingReporter();

        var entries = await SwarmLogReader.ReadAllAsync(engine, reporter, "app", id, null, null, CancellationToken.None);

        Assert.Empty(entries);
        var warning = Assert.Single(reporter.Warnings);
        Assert.Contains("node n1 is down", warning);
        Assert.Contains(task, warning);
    }

    [Fact]
    public async Task A_service_the_swarm_does_not_run_is_ContainerNotFound_as_in_Compose_mode()
    {
        using var folder = new TestStack(Compose);
        var (engine, id, _) = await DeployedAsync(folder);
        var stack = folder.Load();

        var services = await SwarmLogReader.ServicesAsync(engine, stack, CancellationToken.None);

        Assert.Equal(id, SwarmLogReader.ServiceOf(services, stack, "app"));
        var error = Assert.Throws<DatamancyException>(() => SwarmLogReader.ServiceOf(services, stack, "idle"));
        Assert.Equal(ErrorIds.ContainerNotFound, error.ErrorId);
        Assert.Contains("Start-DatamancyProfile -Orchestrator Swarm", error.Message);
    }

    // Hands out one byte per read, as a slow socket may.
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 1), cancellationToken);
    }
}
