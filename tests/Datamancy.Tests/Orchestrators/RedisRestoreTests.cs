using Datamancy.Backup;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Tests.Fakes;
using Datamancy.Tests.Kopia;

namespace Datamancy.Tests.Orchestrators;

/// <summary>
/// A Redis restore on the fake engine: the server's data is set aside, not deleted, until the
/// restored file is in; a failed or refused restore leaves the server running with its own data.
/// </summary>
public sealed class RedisRestoreTests
{
    private const string RedisRoot = "k0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a";
    private const string Rdb = "REDIS0011 fake rdb";
    private static readonly SnapshotRecord RedisSnapshot = KopiaFixtures.Record(KopiaFixtures.Postgres, "/sources/db/redis", RedisRoot);

    private static readonly string Compose = BackupStack.Compose.Replace("\nvolumes:\n",
        "\n  redis:\n    image: redis:7\n    volumes: [redisdata:/data]\nvolumes:\n  redisdata: {}\n", StringComparison.Ordinal);

    private static (BackupStack Stack, FakeContainer Redis) RedisStack(long setAsideExit = 0, bool readFails = false)
    {
        var stack = new BackupStack(Compose);
        var redis = stack.Engine.AddContainer(stack.Stack.ProjectName, "redis", ContainerState.Running);
        stack.Engine.OnExec("kopia ls -l -r", ExecReply.Ok($"-rw-r--r--   {Rdb.Length} 2025-03-13 21:17:45 UTC Ie4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4  redis.rdb\n"));
        stack.Engine.OnExec($"kopia show {RedisRoot}/redis.rdb", readFails ? ExecReply.Fails(1, "error reading object: unexpected EOF") : ExecReply.Ok(Rdb));
        stack.Engine.Script(c => Step(c) == "set-aside", ContainerScript.Exits(setAsideExit));
        stack.Engine.Script(c => Step(c) is "put-back" or "discard", ContainerScript.Exits(0));
        return (stack, redis);
    }

    private static string? Step(FakeContainer container) =>
        container.Name.StartsWith("bk-restore-", StringComparison.Ordinal) ? container.Name["bk-restore-".Length..^9] : null;

    private static IReadOnlyList<string> Steps(BackupStack stack) =>
        stack.Engine.CallsOf("create").Where(n => n.StartsWith("bk-restore-", StringComparison.Ordinal)).Select(n => n["bk-restore-".Length..^9]).ToList();

    private static Task<RestoreResult> RestoreAsync(BackupStack stack) =>
        new BackupRestorer(stack.Session).RestoreAsync(BackupTargetResolver.Select(stack.Stack, ["redis"]).Single(), RedisSnapshot, null, true, CancellationToken.None);

    [Fact]
    public async Task The_previous_data_is_discarded_only_after_the_file_is_in_and_the_server_started()
    {
        var (stack, redis) = RedisStack();
        using var _ = stack;

        var result = await RestoreAsync(stack);

        Assert.Equal(("service:redis", (long)Rdb.Length), (result.Destination, result.Bytes));
        Assert.Equal(["set-aside", "discard"], Steps(stack));
        var order = stack.Engine.Calls.Where(c => c is "stop redis" or "put-archive redis" or "start redis" || c.StartsWith("create bk-restore-", StringComparison.Ordinal))
            .Select(c => c.Split(' ')[0]).ToList();
        Assert.Equal(["stop", "create", "put-archive", "start", "create"], order);
        Assert.True(redis.IsRunning);
        Assert.Single(redis.Archives);
        Assert.Empty(stack.ToolContainersLeft);
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_read_puts_the_previous_data_back_and_starts_the_server()
    {
        var (stack, redis) = RedisStack(readFails: true);
        using var _ = stack;

        var error = await Assert.ThrowsAsync<DatamancyException>(() => RestoreAsync(stack));

        // Kopia's own words, not the cut stream's.
        Assert.Equal(ErrorIds.BackupToolFailed, error.ErrorId);
        Assert.Contains("unexpected EOF", error.Message);

        Assert.Equal(["set-aside", "put-back"], Steps(stack));
        Assert.True(redis.IsRunning);
        Assert.Contains(stack.Reporter.Warnings, w => w.Contains("previous data back", StringComparison.Ordinal));
        Assert.Empty(stack.ToolContainersLeft);
    }

    [Fact]
    public async Task Data_an_interrupted_restore_set_aside_is_never_overwritten()
    {
        var (stack, redis) = RedisStack(setAsideExit: 3);
        using var _ = stack;

        var error = await Assert.ThrowsAsync<DatamancyException>(() => RestoreAsync(stack));

        Assert.Equal(ErrorIds.RestoreLeftoverFound, error.ErrorId);
        Assert.Contains(DataFolderSwap.AsideName, error.Message);
        Assert.Equal(["set-aside"], Steps(stack));
        Assert.Empty(redis.Archives);
        Assert.True(redis.IsRunning);
    }

    [Fact]
    public async Task A_set_aside_that_fails_midway_is_undone()
    {
        var (stack, redis) = RedisStack(setAsideExit: 1);
        using var _ = stack;

        var error = await Assert.ThrowsAsync<DatamancyException>(() => RestoreAsync(stack));

        Assert.Equal(ErrorIds.BackupToolFailed, error.ErrorId);
        Assert.Equal(["set-aside", "put-back"], Steps(stack));
        Assert.Empty(redis.Archives);
        Assert.True(redis.IsRunning);
    }
}
