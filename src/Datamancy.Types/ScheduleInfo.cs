namespace Datamancy;

/// <summary>One Datamancy schedule: what it runs, when, where it is kept, and how its last run went.</summary>
public sealed class ScheduleInfo
{
    public ScheduleInfo(ScheduleTask task, string at, ScheduleKind kind, string file, string command, string logFile,
        DateTimeOffset? lastRun, int? lastExitCode, string stackPath)
    {
        Task = task;
        At = at;
        Kind = kind;
        File = file;
        Command = command;
        LogFile = logFile;
        LastRun = lastRun;
        LastExitCode = lastExitCode;
        StackPath = stackPath;
    }

    public ScheduleTask Task { get; }

    /// <summary>The cron expression ('30 2 * * *', '@daily').</summary>
    public string At { get; }

    /// <summary>Cron or Systemd.</summary>
    public ScheduleKind Kind { get; }

    /// <summary>The cron.d file, or the systemd timer unit.</summary>
    public string File { get; }

    /// <summary>The PowerShell command the schedule runs.</summary>
    public string Command { get; }

    /// <summary>Where each run appends its output: data/schedules/&lt;task&gt;.log in the stack folder.</summary>
    public string LogFile { get; }

    /// <summary>When the last run ended; null when it has not run yet.</summary>
    public DateTimeOffset? LastRun { get; }

    /// <summary>The last run's exit code (0: it succeeded); null when it has not run yet.</summary>
    public int? LastExitCode { get; }

    /// <summary>True when the last run failed.</summary>
    public bool Failed => LastExitCode is { } code && code != 0;

    public string StackPath { get; }
}
