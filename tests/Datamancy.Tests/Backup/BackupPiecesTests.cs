using System.Formats.Tar;
using System.Text;
using Datamancy.Backup;
using Datamancy.Errors;
using Xunit;

namespace Datamancy.Tests.Backup;

public sealed class BackupPiecesTests
{
    [Fact]
    public void RowCountsRoundTripAnyTableName()
    {
        var rows = new Dictionary<string, long> { ["public.\"Odd Table\""] = 2, ["a\tb"] = 0, ["app.items"] = 1500 };
        var encoded = RowCounts.Encode(rows);
        Assert.Matches("^[A-Za-z0-9_-]+$", encoded);
        Assert.Equal(rows.OrderBy(r => r.Key, StringComparer.Ordinal), RowCounts.Decode(encoded));
    }

    [Fact]
    public void RowCountDifferencesNameEachTable()
    {
        var differences = RowCounts.Differences(
            new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 3 },
            new Dictionary<string, long> { ["a"] = 1, ["b"] = 1, ["d"] = 0 });
        Assert.Equal(["b has 1 rows, 2 at dump time", "c is missing (3 rows at dump time)", "d was not in the source at dump time"], differences);
        Assert.Empty(RowCounts.Differences(new Dictionary<string, long> { ["a"] = 1 }, new Dictionary<string, long> { ["a"] = 1 }));
    }

    [Fact]
    public async Task SingleFileTarIsAValidArchiveOfTheStream()
    {
        var content = Encoding.UTF8.GetBytes(new string('x', 1500));
        using var archive = new MemoryStream();
        await new SingleFileTar("dump.rdb", content.Length, new MemoryStream(content)).CopyToAsync(archive);

        Assert.Equal(0, archive.Length % 512);
        archive.Position = 0;
        using var reader = new TarReader(archive);
        var entry = reader.GetNextEntry()!;
        Assert.Equal("dump.rdb", entry.Name);
        Assert.Equal(TarEntryType.V7RegularFile is var _ ? entry.EntryType : entry.EntryType, entry.EntryType);
        using var data = new MemoryStream();
        entry.DataStream!.CopyTo(data);
        Assert.Equal(content, data.ToArray());
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public async Task SingleFileTarRefusesAShortStream()
    {
        var tar = new SingleFileTar("f", 10, new MemoryStream(new byte[3]));
        await Assert.ThrowsAsync<EndOfStreamException>(() => tar.CopyToAsync(Stream.Null));
    }

    [Fact]
    public void PolicyRoundTripsAndDefaults()
    {
        var folder = Directory.CreateTempSubdirectory("dm-policy-").FullName;
        try
        {
            Assert.Equal(BackupPolicy.DefaultMaxAge, BackupPolicy.Load(folder).MaxAge);
            Assert.False(BackupPolicy.Load(folder).HasRetention);
            var policy = new BackupPolicy(new RetentionPolicy(3, null, 7, null, null, 1), TimeSpan.FromHours(30), "@daily", "/etc/cron.d/datamancy-backup-x");
            policy.Save(folder);
            Assert.Equal(policy, BackupPolicy.Load(folder));
            var info = BackupPolicy.Load(folder).Describe(folder);
            Assert.Equal(("/etc/cron.d/datamancy-backup-x", "@daily", 7, (int?)null), (info.ScheduleFile, info.Schedule, info.KeepDaily, info.KeepHourly));

            // A call without -Schedule keeps the schedule and the cron file that runs it.
            var (kept, written) = new BackupPolicyChange(new RetentionPolicy(null, null, null, null, null, null), TimeSpan.FromHours(40), null, null).Plan(folder, "x");
            Assert.Equal(("@daily", "/etc/cron.d/datamancy-backup-x", string.Empty), (kept.Schedule, kept.ScheduleFile, written));

            // Secrets stay out of the backup until the policy says otherwise, and the setting survives a change that does not name it.
            Assert.Equal(StackFolderSecrets.Patterns, StackFolderSecrets.Excludes(kept));
            var (withSecrets, _) = new BackupPolicyChange(new RetentionPolicy(null, null, null, null, null, null), null, null, null, true).Plan(folder, "x");
            withSecrets.Save(folder);
            Assert.True(BackupPolicy.Load(folder).Describe(folder).IncludeSecrets);
            Assert.Empty(StackFolderSecrets.Excludes(BackupPolicy.Load(folder)));
            Assert.True(new BackupPolicyChange(new RetentionPolicy(1, null, null, null, null, null), null, null, null).Plan(folder, "x").Policy.IncludeSecrets);
            File.WriteAllText(Path.Combine(folder, BackupPolicy.FileName), "{ \"maxAge\": \"soon\" }");
            Assert.Equal(ErrorIds.InvalidValue, Assert.Throws<DatamancyException>(() => BackupPolicy.Load(folder)).ErrorId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void RestoredFilesAreComparedBySetAndSize()
    {
        var differences = RestoredFiles.Compare(
            [new SnapshotEntry("a", "file", 1), new SnapshotEntry("b", "file", 2), new SnapshotEntry("c", "file", 3)],
            new Dictionary<string, long> { ["a"] = 1, ["b"] = 5, ["x"] = 0 });
        Assert.Equal(["b has 5 bytes, 2 in the snapshot", "c was not restored", "x is not in the snapshot"], differences);
    }

    [Theory]
    [InlineData(24L << 30, 2L << 30)]
    [InlineData(4L << 30, 512L << 20)]
    [InlineData(0L, 0L)]
    public void A_drill_holds_at_most_an_eighth_of_the_hosts_memory_and_never_more_than_2_GiB(long host, long budget) =>
        Assert.Equal(budget, BackupDrill.MemoryBudget(host));

    [Fact]
    public void A_restore_goes_to_memory_only_when_its_files_and_a_page_per_entry_fit()
    {
        Assert.Equal(BackupDrill.MemoryRoot, BackupDrill.ScratchRoot(1L << 30, 300, 2L << 30));
        Assert.Equal(BackupDrill.DiskRoot, BackupDrill.ScratchRoot((2L << 30) - 4096, 2, 2L << 30));
        Assert.Equal(BackupDrill.DiskRoot, BackupDrill.ScratchRoot(0, 1, 0));
    }

    [Fact]
    public void A_demanded_scratch_is_used_and_memory_refuses_what_does_not_fit()
    {
        Assert.Equal(BackupDrill.DiskRoot, BackupDrill.ScratchRoot(1, 1, 2L << 30, DrillScratch.Disk));
        Assert.Equal(BackupDrill.MemoryRoot, BackupDrill.ScratchRoot(1, 1, 2L << 30, DrillScratch.Memory));
        Assert.Null(BackupDrill.ScratchRoot(2L << 30, 1, 2L << 30, DrillScratch.Memory));
    }
}
