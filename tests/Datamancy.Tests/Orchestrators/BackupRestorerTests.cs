using Datamancy.Backup;
using Datamancy.Errors;
using Datamancy.Tests.Fakes;
using Datamancy.Tests.Kopia;

namespace Datamancy.Tests.Orchestrators;

/// <summary>The BackupRestorer on the fake engine: live data is replaced only with force, in the right order, and every path removes its tool container.</summary>
public sealed class BackupRestorerTests
{
    private const string AppdataPath = "/sources/volumes/appdata";
    private static readonly SnapshotRecord AppdataSnapshot = KopiaFixtures.Record(KopiaFixtures.Nextcloud, AppdataPath);
    private static readonly SnapshotRecord PostgresSnapshot = KopiaFixtures.Record(KopiaFixtures.Postgres, "/sources/db/postgres", KopiaFixtures.PostgresRoot);

    private static BackupStack RestoreStack(string liveFiles = "")
    {
        var stack = new BackupStack();
        var engine = stack.Engine;
        engine.OnExec(c => BackupStack.IsTool(c) && c.CommandLine == $"find {AppdataPath} -mindepth 1 -maxdepth 1", _ => ExecReply.Ok(liveFiles));
        engine.OnExec(c => BackupStack.IsTool(c) && c.CommandLine == $"find {AppdataPath} -mindepth 1 -delete", _ => ExecReply.Ok());
        engine.OnExec("kopia snapshot restore", ExecReply.Ok(stderr: "Restored 2 files"));
        engine.OnExec($"find {AppdataPath} -type f", ExecReply.Ok($"5 {AppdataPath}/a.txt\n7 {AppdataPath}/b/c.txt\n"));
        engine.OnExec("kopia ls -l -r", ExecReply.Ok($"-rw-r--r--   {BackupStack.Dump.Length} 2025-03-13 21:17:45 UTC Ie4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4  postgres.sql\n"));
        engine.OnExec($"kopia show {KopiaFixtures.PostgresRoot}/postgres.sql", ExecReply.Ok(BackupStack.Dump));
        engine.OnExec(c => c.Container == stack.Postgres && c.CommandLine.Contains("psql", StringComparison.Ordinal) && c.Request.AttachInput, _ => ExecReply.Ok());
        return stack;
    }

    private static Task<RestoreResult> RestoreAsync(BackupStack stack, string target, SnapshotRecord snapshot, string? destination = null, bool force = false,
        CancellationToken cancellationToken = default) =>
        new BackupRestorer(stack.Session).RestoreAsync(BackupTargetResolver.Select(stack.Stack, [target]).Single(), snapshot, destination, force, cancellationToken);

    private static IReadOnlyList<string> ToolCommands(BackupStack stack) =>
        stack.Engine.Execs.Where(BackupStack.IsTool).Select(c => string.Join(' ', c.Request.Command.Take(3))).ToList();

    [Fact]
    public async Task A_volume_holding_data_is_not_replaced_without_force()
    {
        using var stack = RestoreStack(liveFiles: $"{AppdataPath}/old.txt\n");

        var error = await Assert.ThrowsAsync<DatamancyException>(() => RestoreAsync(stack, "appdata", AppdataSnapshot));

        Assert.Equal(ErrorIds.RestoreWouldOverwrite, error.ErrorId);
        Assert.Contains("-Force", error.Message);
        Assert.Equal(["find /sources/volumes/appdata -mindepth"], ToolCommands(stack));
        Assert.Empty(stack.ToolContainersLeft);
    }

    [Fact]
    public async Task With_force_the_volume_is_emptied_then_restored_then_counted()
    {
        using var stack = RestoreStack(liveFiles: $"{AppdataPath}/old.txt\n");

        var result = await RestoreAsync(stack, "appdata", AppdataSnapshot, force: true);

        Assert.Equal(("volume:bk_appdata", 2L, 12L), (result.Destination, result.Files, result.Bytes));
        Assert.Equal(["find /sources/volumes/appdata -mindepth", "find /sources/volumes/appdata -mindepth", "kopia snapshot restore", "find /sources/volumes/appdata -type"],
            ToolCommands(stack));
        var tool = stack.Engine.Execs.First(BackupStack.IsTool).Container;
        Assert.Contains(tool.Spec!.HostConfig!.Mounts!, m => m.Source == "bk_appdata" && m.Target == AppdataPath && m.ReadOnly != true);
        Assert.Empty(stack.ToolContainersLeft);
    }

    [Fact]
    public async Task A_folder_destination_that_is_not_empty_is_refused_before_the_engine_is_asked()
    {
        using var stack = RestoreStack();
        var folder = Directory.CreateTempSubdirectory("dm-restore-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "keep.txt"), "mine");

            var error = await Assert.ThrowsAsync<DatamancyException>(() => RestoreAsync(stack, "appdata", AppdataSnapshot, destination: folder));

            Assert.Equal(ErrorIds.RestoreWouldOverwrite, error.ErrorId);
            Assert.Empty(stack.Engine.Calls);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_dump_is_loaded_into_its_running_database_only_with_force()
    {
        using var stack = RestoreStack();

        var refused = await Assert.ThrowsAsync<DatamancyException>(() => RestoreAsync(stack, "postgres", PostgresSnapshot));
        Assert.Equal(ErrorIds.RestoreWouldOverwrite, refused.ErrorId);
        Assert.Empty(stack.Engine.Calls);

        var result = await RestoreAsync(stack, "postgres", PostgresSnapshot, force: true);

        Assert.Equal(("service:postgres", 1L, (long)BackupStack.Dump.Length), (result.Destination, result.Files, result.Bytes));
        var load = Assert.Single(stack.Engine.Execs, c => c.Container == stack.Postgres);
        Assert.Equal(BackupStack.Dump, System.Text.Encoding.UTF8.GetString(load.Input.ToArray()));
        Assert.True(load.InputClosed);
        Assert.Empty(stack.ToolContainersLeft);
    }

    [Fact]
    public async Task A_stopped_database_is_BackupTargetUnavailable()
    {
        using var stack = RestoreStack();
        await stack.Engine.StopContainerAsync(stack.Postgres.Id, TimeSpan.Zero, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DatamancyException>(() => RestoreAsync(stack, "postgres", PostgresSnapshot, force: true));

        Assert.Equal(ErrorIds.BackupTargetUnavailable, error.ErrorId);
        Assert.Equal(0, stack.ToolContainersCreated);
    }

    [Fact]
    public async Task A_load_the_database_refuses_is_reported_with_its_words()
    {
        using var stack = RestoreStack();
        stack.Engine.OnExec(c => c.Container == stack.Postgres, _ => ExecReply.Fails(3, "ERROR: relation \"t\" already exists"));

        var error = await Assert.ThrowsAsync<DatamancyException>(() => RestoreAsync(stack, "postgres", PostgresSnapshot, force: true));

        Assert.Equal(ErrorIds.BackupVerifyFailed, error.ErrorId);
        Assert.Contains("relation \"t\" already exists", error.Message);
        Assert.Empty(stack.ToolContainersLeft);
    }

    [Fact]
    public async Task Cancelling_during_the_restore_removes_the_tool_container()
    {
        using var stack = RestoreStack();
        using var cancel = new CancellationTokenSource();
        stack.Engine.OnExec(c => c.CommandLine.StartsWith("kopia snapshot restore", StringComparison.Ordinal), _ =>
        {
            cancel.Cancel();
            return ExecReply.Ok();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RestoreAsync(stack, "appdata", AppdataSnapshot, force: true, cancellationToken: cancel.Token));

        Assert.Empty(stack.ToolContainersLeft);
        Assert.DoesNotContain(ToolCommands(stack), c => c.StartsWith("find /sources/volumes/appdata -type", StringComparison.Ordinal));
    }
}
