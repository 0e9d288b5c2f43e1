using System.Diagnostics;
using Datamancy.Schedules;

namespace Datamancy.Tests.Schedules;

/// <summary>The schedule's shell line run by /bin/sh (echo stands in for pwsh): the log is appended to, and moved aside once full.</summary>
public sealed class ScheduleLogTests : IDisposable
{
    private readonly string _stack = Directory.CreateTempSubdirectory("dm-schedule-log ").FullName;

    private ScheduledRun Run => new(ScheduleTask.Report, _stack, "/bin/echo", "/m/Datamancy.psd1");

    private void RunShellLine()
    {
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", Run.ShellLine }, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && errors.Length == 0, errors);
    }

    [Fact]
    public void A_log_below_the_limit_is_appended_to()
    {
        Directory.CreateDirectory(ScheduledRun.FolderOf(_stack));
        File.WriteAllText(Run.LogFile, "earlier run\n");

        RunShellLine();

        var lines = File.ReadAllLines(Run.LogFile);
        Assert.Equal("earlier run", lines[0]);
        Assert.StartsWith("-NoProfile -NonInteractive -Command Import-Module", lines[1], StringComparison.Ordinal);
        Assert.False(File.Exists(Run.LogFile + ".1"));
        Assert.Equal("0", File.ReadAllText(Run.TraceFile).Trim());
    }

    [Fact]
    public void A_full_log_becomes_the_previous_one_and_the_run_starts_a_new_log()
    {
        Directory.CreateDirectory(ScheduledRun.FolderOf(_stack));
        File.WriteAllText(Run.LogFile + ".1", "oldest\n");
        File.WriteAllText(Run.LogFile, new string('x', (int)ScheduledRun.LogLimitBytes));

        RunShellLine();

        Assert.Equal(ScheduledRun.LogLimitBytes, new FileInfo(Run.LogFile + ".1").Length);
        Assert.Single(File.ReadAllLines(Run.LogFile));
    }

    [Fact]
    public void The_first_run_creates_the_log()
    {
        Directory.CreateDirectory(ScheduledRun.FolderOf(_stack));

        RunShellLine();

        Assert.Single(File.ReadAllLines(Run.LogFile));
    }

    public void Dispose() => Directory.Delete(_stack, recursive: true);
}
