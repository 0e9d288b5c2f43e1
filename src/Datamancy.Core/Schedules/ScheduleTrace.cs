using System.Globalization;

namespace Datamancy.Schedules;

/// <summary>The trace a scheduled run leaves: data/schedules/&lt;task&gt;.exit holds its exit code, and its time is when it ended.</summary>
public sealed record ScheduleTrace(ScheduleTask Task, DateTimeOffset Ended, int ExitCode, string LogFile)
{
    public bool Failed => ExitCode != 0;

    /// <summary>The last run's trace, or null when the task has not run (or its trace cannot be read).</summary>
    public static ScheduleTrace? Read(string stackDirectory, ScheduleTask task)
    {
        var path = ScheduledRun.TraceFileOf(stackDirectory, task);
        try
        {
            var info = new FileInfo(path);
            return info.Exists && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
                ? new ScheduleTrace(task, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), code, ScheduledRun.LogFileOf(stackDirectory, task))
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every task's last run that failed.</summary>
    public static IReadOnlyList<ScheduleTrace> Failures(string stackDirectory) =>
        Enum.GetValues<ScheduleTask>().Select(t => Read(stackDirectory, t)).Where(t => t is { Failed: true }).Select(t => t!).ToList();
}
