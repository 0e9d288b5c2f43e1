using System.Text;
using Datamancy.Engine;
using Datamancy.Errors;
using Docker.DotNet.Models;

namespace Datamancy.Tests.Fakes;

/// <summary>The fake keeps the seam's contract where the orchestrators rely on it: refusals' ids, event replay, exec input, health by interval.</summary>
public sealed class FakeEngineTests
{
    private static CreateContainerParameters Spec(string name, string image, string project = "p") => new()
    {
        Name = name,
        Image = image,
        Labels = new Dictionary<string, string> { [ComposeLabels.Project] = project, [ComposeLabels.Service] = name },
        Healthcheck = new HealthcheckConfig { Test = ["CMD", "true"] },
    };

    [Fact]
    public async Task Refusals_carry_the_adapters_ids_and_lookups_return_null()
    {
        using var engine = new FakeEngine();
        engine.AddImage("img:1");

        var missingImage = await Assert.ThrowsAsync<DatamancyException>(() => engine.CreateContainerAsync(Spec("a", "nope:1"), default));
        Assert.Equal(ErrorIds.EngineObjectNotFound, missingImage.ErrorId);
        await engine.CreateContainerAsync(Spec("a", "img:1"), default);
        Assert.Equal(ErrorIds.EngineConflict, (await Assert.ThrowsAsync<DatamancyException>(() => engine.CreateContainerAsync(Spec("a", "img:1"), default))).ErrorId);
        Assert.Null(await engine.InspectContainerAsync("nope", default));
        Assert.False(await engine.RemoveContainerAsync("nope", false, default));
        var stopped = engine.ContainerOf("a")!;
        Assert.Equal(ErrorIds.EngineConflict, (await Assert.ThrowsAsync<DatamancyException>(() => engine.StartExecAsync(stopped.Id, new ExecRequest(["true"]), default))).ErrorId);
    }

    [Fact]
    public async Task Events_are_replayed_from_since_then_delivered_live_for_the_project_only()
    {
        using var engine = new FakeEngine();
        engine.AddImage("img:1");
        var a = await engine.CreateContainerAsync(Spec("a", "img:1"), default);
        await engine.CreateContainerAsync(Spec("other", "img:1", project: "q"), default);
        await engine.StartContainerAsync(a, default);
        var seen = new List<string>();
        using var stop = new CancellationTokenSource();
        var healthy = new TaskCompletionSource();
        var stream = engine.MonitorEventsAsync(new EventQuery(DateTimeOffset.UtcNow.AddSeconds(-2), ["container"], LabelFilter.Project("p")), e =>
        {
            lock (seen)
            {
                seen.Add(e.Action);
            }

            if (e.Action == "health_status: healthy")
            {
                healthy.TrySetResult();
            }
        }, stop.Token);

        await healthy.Task.WaitAsync(TimeSpan.FromSeconds(5));
        stop.Cancel();
        await stream;

        Assert.Equal(["create", "start", "health_status: healthy"], seen.Take(3));
        Assert.Equal(HealthStatus.Healthy, engine.ContainerOf("a")!.Health);
    }

    [Fact]
    public async Task An_exec_answers_from_its_whole_input_and_hang_gives_way_to_cancellation()
    {
        using var engine = new FakeEngine();
        engine.AddImage("img:1");
        var id = await engine.CreateContainerAsync(Spec("a", "img:1"), default);
        await engine.StartContainerAsync(id, default);
        engine.OnExec(c => c.CommandLine == "wc -c", c => ExecReply.Ok(c.Input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var result = await new ContainerExec(engine).RunAsync(id, ["wc", "-c"], null, "hello", default);

        Assert.Equal((0L, "5"), (result.ExitCode, result.StandardOutput));
        Assert.Equal(127, (await new ContainerExec(engine).RunAsync(id, ["unknown"], null, null, default)).ExitCode);

        engine.Hang("stop", "a");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.StopContainerAsync(id, TimeSpan.Zero, cancel.Token));
        Assert.True(engine.ContainerOf("a")!.IsRunning);
        Assert.Equal(Encoding.UTF8.GetBytes("hello"), engine.Execs[0].Input.ToArray());
    }
}
