using System.Text;
using Datamancy.Backup;
using Datamancy.Errors;
using static Datamancy.Tests.Kopia.KopiaFixtures;

namespace Datamancy.Tests.Kopia;

/// <summary>Listing, restoring and streaming the files of a snapshot.</summary>
public sealed class KopiaFilesTests
{
    private readonly FakeToolRunner _runner = new();

    [Fact]
    public async Task Files_are_listed_in_one_recursive_long_listing()
    {
        await NewEngine(_runner.ReturnsFixture(0, "ls")).ListFilesAsync(Record(Nextcloud), default);

        Assert.Equal(["kopia", "ls", "-l", "-r", "--no-error-summary", Nextcloud], _runner.Invocations.Single().Arguments);
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public async Task The_listing_keeps_paths_by_column_so_spaces_and_newlines_in_names_survive()
    {
        var files = await NewEngine(_runner.ReturnsFixture(0, "ls")).ListFilesAsync(Record(Nextcloud), default);

        Assert.Equal(
        [
            new SnapshotEntry("Photos 2024", "dir", 4096),
            new SnapshotEntry("Photos 2024/IMG 0001.jpg", "file", 2097152),
            new SnapshotEntry("Photos 2024/latest.jpg", "symlink", 12),
            new SnapshotEntry("appdata_oc1", "dir", 4096),
            new SnapshotEntry("appdata_oc1/config.json", "file", 1834),
            new SnapshotEntry(".ocdata", "file", 0),
            new SnapshotEntry("notes\nfile.txt", "file", 143),
            new SnapshotEntry("very large file with a long object id.bin", "file", 48211499),
        ], files);
    }

    [Fact]
    public async Task An_empty_snapshot_lists_nothing()
    {
        Assert.Empty(await NewEngine(_runner.Returns(0, "")).ListFilesAsync(Record(Nextcloud), default));
    }

    // An id that loads no manifest is read as a file's object id (snapshotfs.FindSnapshotByRootObjectIDOrManifestID).
    [Fact]
    public async Task Listing_a_snapshot_Kopia_cannot_find_is_snapshot_not_found()
    {
        await ThrowsAsync(ErrorIds.BackupSnapshotNotFound, () => NewEngine(_runner.Returns(1, "",
            $"unable to get filesystem directory entry: {Configs} is not a directory object\n")).ListFilesAsync(Record(Configs), default));
    }

    [Fact]
    public async Task Restore_overwrites_in_place_with_atomic_writes()
    {
        await NewEngine(_runner.ReturnsFixture(0, "restore-ok")).RestoreAsync(Record(Nextcloud), "/", default);

        Assert.Equal(
            ["kopia", "snapshot", "restore", Nextcloud, NextcloudPath,
             "--overwrite-files", "--overwrite-directories", "--overwrite-symlinks", "--write-files-atomically", "--no-progress"],
            _runner.Invocations.Single().Arguments);
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public async Task Restore_under_a_root_recreates_the_source_path_there()
    {
        await NewEngine(_runner.ReturnsFixture(0, "restore-ok")).RestoreAsync(Record(Nextcloud), "/drill/memory/1/", default);

        Assert.Equal("/drill/memory/1" + NextcloudPath, _runner.Invocations.Single().Arguments[4]);
    }

    [Fact]
    public async Task A_failed_restore_fails_with_Kopias_words()
    {
        var error = await ThrowsAsync(ErrorIds.BackupFailed, () => NewEngine(_runner.Returns(1, "",
            "Restoring to local filesystem (/sources/volumes/nextcloud_data) with parallelism=8...\n" +
            "error restoring: copy file: open /sources/volumes/nextcloud_data/.ocdata.kopia-tmp: read-only file system\n")).RestoreAsync(Record(Nextcloud), "/", default));

        Assert.Contains("read-only file system", error.Message, StringComparison.Ordinal);
        Assert.Equal(Nextcloud, error.Target);
    }

    [Fact]
    public async Task A_file_is_streamed_from_the_snapshots_root_object()
    {
        var read = new MemoryStream();

        await NewEngine(_runner.Returns(0, "-- PostgreSQL database cluster dump\n")).ReadFileAsync(Record(Postgres, PostgresPath, PostgresRoot), "postgres.sql",
            (stream, ct) => stream.CopyToAsync(read, ct), default);

        Assert.Equal(["kopia", "show", PostgresRoot + "/postgres.sql"], _runner.Invocations.Single().Arguments);
        Assert.Equal("-- PostgreSQL database cluster dump\n", Encoding.UTF8.GetString(read.ToArray()));
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public async Task A_record_without_its_root_object_finds_it_in_the_list_first()
    {
        var record = Record(Postgres, PostgresPath, root: "");

        await NewEngine(_runner.ReturnsFixture(0, "list").Returns(0, "dump")).ReadFileAsync(record, "postgres.sql", (_, _) => Task.CompletedTask, default);

        Assert.Equal(["kopia", "show", PostgresRoot + "/postgres.sql"], _runner.Invocations[1].Arguments);
    }

    [Fact]
    public async Task A_record_of_a_snapshot_no_longer_listed_is_snapshot_not_found()
    {
        await ThrowsAsync(ErrorIds.BackupSnapshotNotFound, () => NewEngine(_runner.ReturnsFixture(0, "list-empty"))
            .ReadFileAsync(Record(Postgres, PostgresPath, root: ""), "postgres.sql", (_, _) => Task.CompletedTask, default));

        Assert.Single(_runner.Invocations);
    }

    [Fact]
    public async Task Reading_a_file_the_snapshot_does_not_hold_is_snapshot_not_found()
    {
        var error = await ThrowsAsync(ErrorIds.BackupSnapshotNotFound, () => NewEngine(_runner.Returns(1, "",
            $"unable to parse ID: {PostgresRoot}/mariadb.sql: entry not found: \"mariadb.sql\"\n"))
            .ReadFileAsync(Record(Postgres, PostgresPath, PostgresRoot), "mariadb.sql", (_, _) => Task.CompletedTask, default));

        Assert.Contains("mariadb.sql", error.Message, StringComparison.Ordinal);
    }
}
