using System.Text;
using Datamancy.Backup;
using Datamancy.Backup.Kopia;
using Datamancy.Errors;
using static Datamancy.Tests.Kopia.KopiaFixtures;

namespace Datamancy.Tests.Kopia;

/// <summary>`kopia snapshot create --json` and its four outcomes: saved, unchanged, saved with fatal errors, failed.</summary>
public sealed class KopiaBackupTests
{
    private readonly FakeToolRunner _runner = new();

    [Fact]
    public async Task Backup_builds_the_exact_command_line_with_tags_and_no_secret()
    {
        var engine = new KopiaEngine(_runner.ReturnsFixture(0, "create-ok"), "/usr/local/bin/kopia", ToolEnvironment);

        await engine.BackupPathAsync(NextcloudPath, null, NextcloudTags, default);

        Assert.Equal(
            ["/usr/local/bin/kopia", "snapshot", "create", NextcloudPath, "--json", "--no-progress",
             "--tags", "datamancy.kind:volume", "--tags", "datamancy.target:nextcloud"],
            _runner.Invocations.Single().Arguments);
        Assert.Null(_runner.Invocations.Single().WriteInput);
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public async Task Backup_with_excludes_first_replaces_the_sources_ignore_rules()
    {
        var engine = new KopiaEngine(_runner.Returns(0).ReturnsFixture(0, "create-ok"), "/usr/local/bin/kopia", ToolEnvironment);

        await engine.BackupPathAsync(NextcloudPath, [".env", "*.key"], NextcloudTags, default);

        Assert.Equal(["/usr/local/bin/kopia", "policy", "set", NextcloudPath, "--clear-ignore", "--add-ignore", ".env", "--add-ignore", "*.key"], _runner.Invocations[0].Arguments);
        Assert.Equal("create", _runner.Invocations[1].Arguments[2]);
    }

    [Fact]
    public async Task Backup_takes_totals_from_the_root_summary_because_create_prints_no_stats()
    {
        Assert.DoesNotContain("\"stats\"", Read("create-ok.stdout"), StringComparison.Ordinal);

        var outcome = await NewEngine(_runner.ReturnsFixture(0, "create-ok")).BackupPathAsync(NextcloudPath, null, NextcloudTags, default);

        var snapshot = Assert.IsType<SnapshotRecord>(outcome.Snapshot);
        Assert.Equal((48213577L, 1274L), (outcome.Bytes, outcome.Files));
        Assert.Equal((48213577L, 1274L), (snapshot.Bytes, snapshot.Files));
        Assert.Equal(Nextcloud, snapshot.Id);
        Assert.Equal(NextcloudRoot, snapshot.RootObject);
        Assert.Equal(NextcloudPath, snapshot.SourcePath);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 2, 0, 1, TimeSpan.Zero).AddTicks(1234567), snapshot.Time);
        Assert.Equal("", snapshot.IncompleteReason);
        Assert.Empty(outcome.Warnings);
    }

    [Fact]
    public async Task Tags_go_out_as_key_colon_value_and_come_back_without_Kopias_tag_prefix()
    {
        Assert.Contains("\"tags\":{\"tag:datamancy.kind\":\"volume\",\"tag:datamancy.target\":\"nextcloud\"}", Read("create-ok.stdout"), StringComparison.Ordinal);

        var outcome = await NewEngine(_runner.ReturnsFixture(0, "create-ok")).BackupPathAsync(NextcloudPath, null, NextcloudTags, default);

        Assert.Equal(NextcloudTags.OrderBy(t => t.Key), outcome.Snapshot!.Tags.OrderBy(t => t.Key));
    }

    [Fact]
    public async Task A_tag_value_may_hold_colons_because_Kopia_splits_at_the_first()
    {
        var tags = new Dictionary<string, string> { ["datamancy.source"] = "volume:nextcloud_data" };

        await NewEngine(_runner.ReturnsFixture(0, "create-ok")).BackupPathAsync(NextcloudPath, null, tags, default);

        Assert.Equal(["--tags", "datamancy.source:volume:nextcloud_data"], _runner.Invocations.Single().Arguments.TakeLast(2));
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData("")]
    [InlineData("-flag")]
    public async Task A_tag_key_Kopia_would_misread_is_refused_before_any_run(string key)
    {
        var tags = new Dictionary<string, string> { [key] = "x" };

        await Assert.ThrowsAsync<ArgumentException>(() => NewEngine(_runner).BackupPathAsync(NextcloudPath, null, tags, default));
        Assert.Empty(_runner.Invocations);
    }

    [Fact]
    public async Task A_source_path_that_looks_like_a_flag_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => NewEngine(_runner).BackupPathAsync("--all", null, NextcloudTags, default));
        Assert.Empty(_runner.Invocations);
    }

    [Fact]
    public async Task Empty_output_and_exit_0_is_an_unchanged_source_with_no_snapshot()
    {
        Assert.Equal("", Read("create-unchanged.stdout"));

        var outcome = await NewEngine(_runner.ReturnsFixture(0, "create-unchanged")).BackupPathAsync(NextcloudPath, null, NextcloudTags, default);

        Assert.Null(outcome.Snapshot);
        Assert.Equal((0L, 0L), (outcome.Bytes, outcome.Files));
        Assert.Contains("nothing changed", Assert.Single(outcome.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_with_exit_1_is_a_snapshot_with_fatal_errors_and_fails_naming_them()
    {
        var error = await ThrowsAsync(ErrorIds.BackupFailed,
            () => NewEngine(_runner.ReturnsFixture(1, "create-fatal")).BackupPathAsync(NextcloudPath, null, NextcloudTags, default));

        Assert.Contains(WithFatalErrors, error.Message, StringComparison.Ordinal);
        Assert.Contains("2 fatal error(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("appdata_oc1/preview/locked.db: unable to open file", error.Message, StringComparison.Ordinal);
        Assert.Contains("data/admin/files/big.iso: unable to read file", error.Message, StringComparison.Ordinal);
        Assert.Contains("Found 2 fatal error(s) while snapshotting root@kopia:/sources/volumes/nextcloud_data.", error.Message, StringComparison.Ordinal);
        Assert.Equal(NextcloudPath, error.Target);
    }

    [Fact]
    public async Task An_upload_error_prints_no_manifest_and_fails_with_Kopias_words()
    {
        var error = await ThrowsAsync(ErrorIds.BackupFailed,
            () => NewEngine(_runner.ReturnsFixture(1, "create-upload-error")).BackupPathAsync(NextcloudPath, null, NextcloudTags, default));

        Assert.Contains("upload error: error writing pack", error.Message, StringComparison.Ordinal);
        Assert.Contains("no space left on device", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Snapshotting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incomplete_manifest_keeps_its_reason_and_ignored_errors_become_warnings()
    {
        var outcome = await NewEngine(_runner.ReturnsFixture(0, "create-incomplete")).BackupPathAsync(NextcloudPath, null, NextcloudTags, default);

        Assert.Equal("limit reached", outcome.Snapshot!.IncompleteReason);
        Assert.Equal(Incomplete, outcome.Snapshot.Id);
        Assert.Contains(outcome.Warnings, w => w.Contains("incomplete (limit reached)", StringComparison.Ordinal));
        Assert.Contains(outcome.Warnings, w => w.Contains("ignored 1 error(s)", StringComparison.Ordinal));
        Assert.Contains(outcome.Warnings, w => w.Contains("data/admin/files/.~lock.odt#: unable to open file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_backup_sends_the_content_on_stdin_as_one_named_file()
    {
        var content = Encoding.UTF8.GetBytes("-- PostgreSQL database cluster dump\n");

        var outcome = await NewEngine(_runner.ReturnsFixture(0, "create-stream")).BackupStreamAsync(PostgresPath, "postgres.sql",
            (stream, ct) => stream.WriteAsync(content, ct).AsTask(), new Dictionary<string, string> { ["datamancy.kind"] = "dump" }, default);

        Assert.Equal(
            ["kopia", "snapshot", "create", PostgresPath, "--json", "--no-progress", "--stdin-file", "postgres.sql", "--tags", "datamancy.kind:dump"],
            _runner.Invocations.Single().Arguments);
        Assert.Equal(content, Assert.Single(_runner.Inputs));
        Assert.Equal((Postgres, PostgresRoot, 7340032L, 1L), (outcome.Snapshot!.Id, outcome.Snapshot.RootObject, outcome.Bytes, outcome.Files));
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Theory]
    [InlineData("dir/postgres.sql")]
    [InlineData("-postgres.sql")]
    public async Task A_stream_file_name_must_be_one_plain_name(string fileName)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => NewEngine(_runner).BackupStreamAsync(PostgresPath, fileName,
            (_, _) => Task.CompletedTask, new Dictionary<string, string>(), default));
        Assert.Empty(_runner.Invocations);
    }

    [Fact]
    public async Task Output_that_is_not_Kopias_fails_as_unreadable()
    {
        var error = await ThrowsAsync(ErrorIds.BackupToolFailed,
            () => NewEngine(_runner.Returns(0, "Created snapshot with root k123 and ID 8d2f\n")).BackupPathAsync(NextcloudPath, null, NextcloudTags, default));

        Assert.Equal(ErrorKind.InvalidData, error.Kind);
    }
}
