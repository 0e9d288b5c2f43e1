using Datamancy.Backup.Kopia;

namespace Datamancy.Tests.Kopia;

/// <summary>The small readers under the engine: Kopia's timestamps, tags and totals.</summary>
public sealed class KopiaParsingTests
{
    [Theory]
    [InlineData("2025-01-02T03:04:05.123456789Z", 1234567)]
    [InlineData("2025-01-02T03:04:05.99999999Z", 9999999)]
    [InlineData("2025-01-02T03:04:05.5Z", 5000000)]
    [InlineData("2025-01-02T03:04:05Z", 0)]
    [InlineData("2025-01-02T03:04:05.000000001Z", 0)]
    public void Timestamps_keep_seven_digits_and_cut_the_rest(string text, long ticks)
    {
        Assert.True(KopiaTime.TryParse(text, out var time));
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(ticks), time);
    }

    [Fact]
    public void Old_local_offsets_become_UTC()
    {
        Assert.True(KopiaTime.TryParse("2021-06-01T10:00:00.123456789+02:00", out var time));
        Assert.Equal(new DateTimeOffset(2021, 6, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1234567), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Fact]
    public void The_wrapped_zero_time_of_a_stdin_snapshot_root_parses()
    {
        Assert.True(KopiaTime.TryParse("1754-08-30T22:43:41.128654848Z", out var time));
        Assert.Equal(new DateTimeOffset(1754, 8, 30, 22, 43, 41, TimeSpan.Zero).AddTicks(1286548), time);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2025-01-02 03:04:05Z")]
    [InlineData("2025-01-02T03:04:05.1234567890Z")]
    [InlineData("2025-01-02T03:04:05")]
    [InlineData("2025-02-30T03:04:05Z")]
    [InlineData("2025-01-02T03:04:05+15:00")]
    public void Anything_else_is_not_a_Kopia_timestamp(string? text)
    {
        Assert.False(KopiaTime.TryParse(text, out _));
    }

    [Fact]
    public void Only_tag_prefixed_keys_are_the_modules_tags()
    {
        var tags = KopiaJson.Tags(new Dictionary<string, string> { ["tag:datamancy.target"] = "redis", ["type"] = "snapshot", ["tag:"] = "x" });

        Assert.Equal([new KeyValuePair<string, string>("datamancy.target", "redis")], tags);
    }

    [Fact]
    public void Stats_win_over_the_root_summary_when_Kopia_printed_both()
    {
        var record = KopiaJson.ToRecord(KopiaJson.ParseList(
            """[{"id":"a","source":{"path":"/p"},"startTime":"2025-01-02T03:04:05Z","stats":{"totalSize":10,"fileCount":2},"rootEntry":{"obj":"k1","summ":{"size":99,"files":9}}}]""")[0]);

        Assert.Equal((10L, 2L), (record.Bytes, record.Files));
    }

    [Fact]
    public void Lists_from_before_Kopia_0_11_have_no_stats_and_use_the_root_summary()
    {
        var record = KopiaJson.ToRecord(KopiaJson.ParseList(
            """[{"id":"a","source":{"path":"/p"},"startTime":"2025-01-02T03:04:05Z","rootEntry":{"obj":"k1","summ":{"size":99,"files":9}}}]""")[0]);

        Assert.Equal((99L, 9L), (record.Bytes, record.Files));
    }

    [Fact]
    public void A_manifest_without_a_usable_start_time_is_refused()
    {
        Assert.Throws<FormatException>(() => KopiaJson.ToRecord(KopiaJson.ParseList("""[{"id":"a","startTime":"yesterday"}]""")[0]));
    }
}
