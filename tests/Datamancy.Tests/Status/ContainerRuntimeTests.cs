using Datamancy.Status;
using Docker.DotNet.Models;

namespace Datamancy.Tests.Status;

/// <summary>The start time and restarts Get-DatamancyStatus reads from an inspect.</summary>
public sealed class ContainerRuntimeTests
{
    [Fact]
    public void Reads_Go_s_nanosecond_start_time_as_UTC_and_the_restart_count()
    {
        var runtime = ContainerRuntime.Of(new ContainerInspectResponse
        {
            RestartCount = 3,
            State = new State { StartedAt = "2026-12-03T06:00:00.123456789+01:00" },
        });

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 5, 0, 0, TimeSpan.Zero).AddTicks(1234568), runtime.StartedAt);
        Assert.Equal(TimeSpan.Zero, runtime.StartedAt!.Value.Offset);
        Assert.Equal(3, runtime.Restarts);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("")]
    [InlineData(null)]
    public void A_container_that_never_started_has_no_start_time(string? startedAt) =>
        Assert.Null(ContainerRuntime.Of(new ContainerInspectResponse { State = new State { StartedAt = startedAt! } }).StartedAt);
}
