namespace Datamancy.Schedules;

/// <summary>
/// What a schedule runs: the PowerShell command of its task against one stack, inside a shell line
/// that appends the output to data/schedules/&lt;task&gt;.log (moved to &lt;task&gt;.log.1 once it holds
/// <see cref="LogLimitBytes"/>, so a schedule's logs never pass twice that) and leaves the exit code in
/// data/schedules/&lt;task&gt;.exit (replaced by a rename; its time is when the run ended), the trace
/// Get-DatamancyStatus reads. Any error written during the run fails it (exit 1), and so does a
/// failed check (ServiceTest) or a High or Critical finding (SecurityAudit).
/// </summary>
public sealed record ScheduledRun(ScheduleTask Task, string StackDirectory, string Pwsh, string ModuleManifest)
{
    /// <summary>The size at which a run starts a new log; the previous one is kept as &lt;task&gt;.log.1.</summary>
    public const long LogLimitBytes = 1024 * 1024;

    public static string FolderOf(string stackDirectory) => Path.Combine(stackDirectory, "data", "schedules");

    public static string LogFileOf(string stackDirectory, ScheduleTask task) => Path.Combine(FolderOf(stackDirectory), $"{Slug(task)}.log");

    public static string TraceFileOf(string stackDirectory, ScheduleTask task) => Path.Combine(FolderOf(stackDirectory), $"{Slug(task)}.exit");

    /// <summary>The lowercase task name used in file names: backup, backupdrill, servicetest, report, securityaudit.</summary>
    public static string Slug(ScheduleTask task) => task.ToString().ToLowerInvariant();

    public string LogFile => LogFileOf(StackDirectory, Task);

    public string TraceFile => TraceFileOf(StackDirectory, Task);

    /// <summary>The task's PowerShell command.</summary>
    public string Command
    {
        get
        {
            var path = $"-Path {PowerShellQuote(StackDirectory)}";
            return Task switch
            {
                ScheduleTask.Backup => $"Invoke-DatamancyBackup {path} | Test-DatamancyBackup {path}",
                ScheduleTask.BackupDrill => $"Test-DatamancyBackup {path}",
                ScheduleTask.ServiceTest => $"Test-DatamancyService {path} -Summary | Tee-Object -Variable tests | Format-Table -AutoSize | Out-String -Width 200; "
                    + "if ($tests | Where-Object FailedCount -gt 0) { throw 'A service failed its tests: see the table above.' }",
                ScheduleTask.Report => string.Join("; ", Enum.GetNames<ReportFormat>().Select(f => $"Export-DatamancyReport {path} -Format {f}")),
                ScheduleTask.SecurityAudit => $"if (Test-DatamancySecurity {path} -Severity High, Critical) {{ throw 'High or Critical security findings are open: see Test-DatamancySecurity.' }}",
                _ => throw new ArgumentOutOfRangeException(nameof(Task)),
            };
        }
    }

    /// <summary>The whole PowerShell script pwsh -Command gets: import, the task, and exit 1 when any error was written.</summary>
    public string Script => $"Import-Module {PowerShellQuote(ModuleManifest)}; $Error.Clear(); {Command}; if ($Error.Count -gt 0) {{ exit 1 }}";

    /// <summary>
    /// The POSIX shell line: the log rotated when full, pwsh with the script as one double-quoted word,
    /// output to the log, exit code to the trace.
    /// </summary>
    public string ShellLine
    {
        get
        {
            var trace = ShellQuote(TraceFile);
            var pending = ShellQuote(TraceFile + ".tmp");
            var log = ShellQuote(LogFile);
            return $"{{ [ ! -f {log} ] || [ \"$(wc -c < {log})\" -lt {LogLimitBytes} ] || mv -f {log} {ShellQuote(LogFile + ".1")}; }}; "
                + $"{ShellQuote(Pwsh)} -NoProfile -NonInteractive -Command \"{DoubleQuoted(Script)}\" >> {log} 2>&1; echo $? > {pending} && mv -f {pending} {trace}";
        }
    }

    public static string PowerShellQuote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    // Inside a shell's double quotes only these four keep a meaning.
    private static string DoubleQuoted(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("$", "\\$", StringComparison.Ordinal)
        .Replace("`", "\\`", StringComparison.Ordinal);
}
