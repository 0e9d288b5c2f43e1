using Datamancy.Backup;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Orchestrators;

/// <summary>The BackupRunner on the fake engine: one tool container for the call, a dump streamed from the database, and a failing target that stays alone.</summary>
public sealed class BackupRunnerTests
{
    [Fact]
    public async Task Backs_up_every_target_through_one_tool_container_and_removes_it()
    {
        using var stack = new BackupStack();

        var results = await stack.BackupAsync();

        Assert.Equal(["appdata", "media", "postgres", "configs"], results.Select(r => r.Target));
        Assert.All(results, r => Assert.True(r.Status == BackupStatus.Completed, $"{r.Target}: {r.Status} {r.Error}"));
        Assert.Equal(1, stack.ToolContainersCreated);
        Assert.Empty(stack.ToolContainersLeft);

        // The sources are mounted read-only; the dump went from the database's exec into Kopia's standard input, whole.
        var tool = stack.Engine.Execs.First(BackupStack.IsTool).Container;
        Assert.Contains(tool.Spec!.HostConfig!.Mounts!, m => m.Source == "bk_appdata" && m.Target == "/sources/volumes/appdata" && m.ReadOnly == true);
        var streamed = Assert.Single(stack.Engine.Execs, c => BackupStack.IsTool(c) && c.Request.AttachInput);
        Assert.Equal(BackupStack.Dump, System.Text.Encoding.UTF8.GetString(streamed.Input.ToArray()));
        Assert.True(streamed.InputClosed);
        Assert.DoesNotContain(stack.Engine.Execs, c => c.CommandLine.Contains(Kopia.KopiaFixtures.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_target_that_fails_is_reported_and_the_others_go_on()
    {
        using var stack = new BackupStack();
        stack.SnapshotOf("/sources/volumes/appdata", _ => BackupStack.Fixture(1, "create-fatal"));

        var results = await stack.BackupAsync();

        var appdata = results.Single(r => r.Target == "appdata");
        Assert.Equal(BackupStatus.Failed, appdata.Status);
        Assert.StartsWith("Backup", appdata.ErrorId);
        Assert.Equal(["media", "postgres", "configs"], results.Where(r => r.Status == BackupStatus.Completed).Select(r => r.Target));
    }

    [Fact]
    public async Task A_missing_volume_or_a_stopped_database_is_BackupTargetUnavailable()
    {
        using var stack = new BackupStack();
        await stack.Engine.RemoveVolumeAsync("bk_media", false, CancellationToken.None);
        await stack.Engine.StopContainerAsync(stack.Postgres.Id, TimeSpan.Zero, CancellationToken.None);

        var results = await stack.BackupAsync();

        Assert.Equal(ErrorIds.BackupTargetUnavailable, results.Single(r => r.Target == "media").ErrorId);
        Assert.Contains("Start-DatamancyService postgres", results.Single(r => r.Target == "postgres").Error);
        Assert.Equal(ErrorIds.BackupTargetUnavailable, results.Single(r => r.Target == "postgres").ErrorId);
        Assert.Equal(["appdata", "configs"], results.Where(r => r.Status == BackupStatus.Completed).Select(r => r.Target));
        Assert.DoesNotContain(stack.Engine.Execs, c => c.Container == stack.Postgres);
    }

    [Fact]
    public async Task A_dump_that_breaks_off_aborts_the_tool_so_no_partial_snapshot_is_saved()
    {
        using var stack = new BackupStack();
        stack.Engine.OnExec(c => c.Container == stack.Postgres && c.CommandLine.Contains("pg_dump", StringComparison.Ordinal),
            _ => new ExecReply(1, System.Text.Encoding.UTF8.GetBytes("-- half a dump"), "pg_dump: error: connection lost"));

        var results = await stack.BackupAsync();

        var postgres = results.Single(r => r.Target == "postgres");
        Assert.Equal((BackupStatus.Failed, ErrorIds.BackupFailed), (postgres.Status, postgres.ErrorId));
        Assert.Contains("connection lost", postgres.Error);

        // The tool container was killed under Kopia (its input never closed cleanly), and a new one served the configs.
        var streamed = Assert.Single(stack.Engine.Execs, c => BackupStack.IsTool(c) && c.Request.AttachInput);
        Assert.False(streamed.InputClosed);
        Assert.Equal(2, stack.ToolContainersCreated);
        Assert.Equal(BackupStatus.Completed, results.Single(r => r.Target == "configs").Status);
        Assert.Empty(stack.ToolContainersLeft);
    }

    [Fact]
    public async Task Cancelling_stops_after_the_current_target_and_removes_the_tool_container()
    {
        using var stack = new BackupStack();
        using var cancel = new CancellationTokenSource();
        stack.SnapshotOf("/sources/volumes/media", _ =>
        {
            cancel.Cancel();
            return BackupStack.Fixture(0, "create-ok");
        });
        var results = new List<BackupResult>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new BackupRunner(stack.Session).RunAsync(BackupTargetResolver.All(stack.Stack), null, results.Add, cancel.Token));

        Assert.Equal(["appdata"], results.Select(r => r.Target));
        Assert.Empty(stack.ToolContainersLeft);
        Assert.DoesNotContain(stack.Engine.Execs, c => c.Container == stack.Postgres);
    }

    [Fact]
    public async Task A_tool_container_that_cannot_start_is_removed_and_the_call_fails()
    {
        using var stack = new BackupStack();
        stack.Engine.Fail("start", "*");

        var error = await Assert.ThrowsAsync<DatamancyException>(() => stack.BackupAsync());

        Assert.Equal(ErrorIds.EngineError, error.ErrorId);
        Assert.Empty(stack.ToolContainersLeft);
    }
}
