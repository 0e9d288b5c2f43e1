using Datamancy.Errors;
using static Datamancy.Tests.Kopia.KopiaFixtures;

namespace Datamancy.Tests.Kopia;

/// <summary>`kopia snapshot list --json`: its framing, its stats, and one time order across sources.</summary>
public sealed class KopiaListTests
{
    private readonly FakeToolRunner _runner = new();

    [Fact]
    public async Task List_runs_the_JSON_list_of_every_user_and_host()
    {
        await NewEngine(_runner.ReturnsFixture(0, "list-empty")).ListAsync(default);

        Assert.Equal(["kopia", "snapshot", "list", "--json", "--all"], _runner.Invocations.Single().Arguments);
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public void The_list_fixture_has_Kopias_framing()
    {
        var text = Read("list.stdout");

        Assert.StartsWith("[\n {\"id\":", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split("},\n {\"id\":").Length - 1);
        Assert.EndsWith("]}\n]", text, StringComparison.Ordinal);
        Assert.Equal("[\n]", Read("list-empty.stdout"));
    }

    [Fact]
    public async Task An_empty_list_is_no_snapshots()
    {
        Assert.Empty(await NewEngine(_runner.ReturnsFixture(0, "list-empty")).ListAsync(default));
    }

    [Fact]
    public async Task Snapshots_of_all_sources_come_oldest_first_although_Kopia_groups_them_by_source()
    {
        var list = await NewEngine(_runner.ReturnsFixture(0, "list")).ListAsync(default);

        Assert.Equal([Configs, OlderNextcloud, Postgres, Nextcloud], list.Select(s => s.Id));
        Assert.Equal([OlderNextcloud, Nextcloud, Postgres, Configs], KopiaListIdsInPrintedOrder());
    }

    [Fact]
    public async Task List_reads_totals_from_stats_and_keeps_root_objects_tags_and_incomplete_reasons()
    {
        var list = (await NewEngine(_runner.ReturnsFixture(0, "list")).ListAsync(default)).ToDictionary(s => s.Id);

        Assert.Equal((48213577L, 1274L, NextcloudRoot), (list[Nextcloud].Bytes, list[Nextcloud].Files, list[Nextcloud].RootObject));
        Assert.Equal((7340032L, 1L, PostgresPath), (list[Postgres].Bytes, list[Postgres].Files, list[Postgres].SourcePath));
        Assert.Equal("postgres", list[Postgres].Tags["datamancy.target"]);
        Assert.Equal("limit reached", list[Configs].IncompleteReason);
        Assert.Empty(list[Configs].Tags);
        Assert.Equal("", list[Nextcloud].IncompleteReason);
    }

    [Fact]
    public async Task Nine_fractional_digits_are_cut_to_a_tick_never_rounded_into_the_next_day()
    {
        Assert.Contains("\"startTime\":\"2025-03-12T23:59:59.999999999Z\"", Read("list.stdout"), StringComparison.Ordinal);

        var list = (await NewEngine(_runner.ReturnsFixture(0, "list")).ListAsync(default)).ToDictionary(s => s.Id);

        Assert.Equal(new DateTimeOffset(2025, 3, 12, 23, 59, 59, TimeSpan.Zero).AddTicks(9999999), list[Configs].Time);
        Assert.Equal(new DateTimeOffset(2025, 3, 13, 2, 0, 0, 500, TimeSpan.Zero), list[OlderNextcloud].Time);
        Assert.Equal(new DateTimeOffset(2025, 3, 13, 14, 30, 0, TimeSpan.Zero), list[Postgres].Time);
    }

    [Fact]
    public async Task A_list_that_fails_because_no_repository_is_connected_says_how_to_connect()
    {
        var error = await ThrowsAsync(ErrorIds.BackupRepositoryUnavailable,
            () => NewEngine(_runner.ReturnsFixture(1, "status-not-connected")).ListAsync(default));

        Assert.Contains("kopia service", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("No snapshots found. Pass --all to show snapshots from all users/hosts.\n")]
    [InlineData("[\n {\"id\":\"x\"\n]")]
    public async Task Output_that_is_not_a_JSON_list_fails_as_unreadable(string stdout)
    {
        var error = await ThrowsAsync(ErrorIds.BackupToolFailed, () => NewEngine(_runner.Returns(0, stdout)).ListAsync(default));

        Assert.Equal(ErrorKind.InvalidData, error.Kind);
    }

    private static IEnumerable<string> KopiaListIdsInPrintedOrder() =>
        Read("list.stdout").Split("{\"id\":\"").Skip(1).Select(s => s[..32]);
}
