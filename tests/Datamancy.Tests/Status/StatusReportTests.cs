using Datamancy.Schedules;
using Datamancy.Status;
using Datamancy.Status.Reports;
using Xunit;

namespace Datamancy.Tests.Status;

public sealed class StatusReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 2, 30, 0, TimeSpan.Zero);

    [Fact]
    public void SummaryIsUpDegradedOrDown()
    {
        using var folder = new TestStack("services:\n  a:\n    image: x\n");
        var stack = folder.Load();
        Assert.Equal(StackState.Up, StackSummary.Of(stack, [Service("a", ContainerState.Running), Service("job", ContainerState.Exited, isJob: true)], [], Now).State);
        var degraded = StackSummary.Of(stack, [Service("a", ContainerState.Running, "unhealthy"), Service("b", ContainerState.Exited, "not running")], [], Now);
        Assert.Equal(StackState.Degraded, degraded.State);
        Assert.Equal(["a: unhealthy", "b: not running"], degraded.Reasons);
        Assert.Equal(StackState.Down, StackSummary.Of(stack, [Service("a", ContainerState.Exited, "not running"), Service("job", ContainerState.Exited, isJob: true)], [], Now).State);
        var failedRun = new ScheduleTrace(ScheduleTask.Report, Now, 2, "/s/data/schedules/report.log");
        var withRun = StackSummary.Of(stack, [Service("a", ContainerState.Running)], [failedRun], Now);
        Assert.Equal(StackState.Degraded, withRun.State);
        Assert.Equal("scheduled Report failed (exit 2) at 2026-01-31 02:30 UTC; see /s/data/schedules/report.log", Assert.Single(withRun.Reasons));
    }

    [Fact]
    public void PrometheusHasNoTimestampsEscapesLabelsAndEndsWithANewline()
    {
        var odd = Service("we\"ird\\na\nme", ContainerState.Running);
        var text = PrometheusReport.Render(new StatusReport(new StackStatus("p", StackState.Up, 1, 1, 1, [], Now, "/s"), [odd], []));
        Assert.Contains("datamancy_service_up{service=\"we\\\"ird\\\\na\\nme\",profile=\"apps\"} 1\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')), line => Assert.Equal(2, line.Split("} ").Length));
        Assert.Contains($"datamancy_report_generated_timestamp_seconds{{stack=\"p\"}} {Now.ToUnixTimeSeconds()}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkdownCellsCannotBreakTheTable() =>
        Assert.Contains("| a&#124;b |", MarkdownReport.Render(new StatusReport(new StackStatus("p", StackState.Up, 1, 1, 1, [], Now, "/s"), [Service("a|b", ContainerState.Running)], [])), StringComparison.Ordinal);

    private static ServiceStatus Service(string name, ContainerState state, string? problem = null, bool isJob = false) =>
        new(name, ["apps"], isJob, state, HealthStatus.None, string.Empty, null, null, null, null, FingerprintState.Fresh, [], Now, null, [], null, string.Empty, null,
            new Dictionary<string, long>(), problem is null ? [] : [problem], "/s");
}
