using Datamancy.Files;

namespace Datamancy.Schedules;

/// <summary>
/// The files a schedule is: one cron.d file, or a systemd .timer and its oneshot .service. Each
/// starts with comment lines that say what it is (datamancy-task, datamancy-stack, datamancy-at,
/// datamancy-command), which is how Get-DatamancySchedule reads them back. Written atomically.
/// </summary>
public static class ScheduleFiles
{
    private const string TaskKey = "# datamancy-task: ";
    private const string StackKey = "# datamancy-stack: ";
    private const string AtKey = "# datamancy-at: ";
    private const string CommandKey = "# datamancy-command: ";

    public static string CronText(ScheduledRun run, string at, string writer)
    {
        CronExpression.Validate(at);

        // cron turns an unescaped % into a newline, even inside quotes.
        var line = $"{at} root {run.ShellLine}".Replace("%", "\\%", StringComparison.Ordinal);
        return $"# Written by {writer}: the Datamancy {run.Task} task.\n" + Header(run, at)
            + "SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n" + line + "\n";
    }

    public static string TimerText(ScheduledRun run, string at, string serviceUnit) =>
        $"# Written by Register-DatamancySchedule: the Datamancy {run.Task} task.\n" + Header(run, at)
        + $"[Unit]\nDescription=Datamancy {run.Task} of {run.StackDirectory}\n\n[Timer]\nOnCalendar={CronExpression.ToOnCalendar(at)}\nPersistent=true\nUnit={serviceUnit}\n\n[Install]\nWantedBy=timers.target\n";

    public static string ServiceText(ScheduledRun run) =>
        $"# Written by Register-DatamancySchedule: runs the Datamancy {run.Task} task for its timer.\n"
        + $"[Unit]\nDescription=Datamancy {run.Task} of {run.StackDirectory}\n\n[Service]\nType=oneshot\nExecStart=/bin/sh -c \"{SystemdQuoted(run.ShellLine)}\"\n";

    /// <summary>Writes the schedule's files (each atomically, mode 644 as cron and systemd expect) and returns the main one.</summary>
    public static string Write(ScheduleKind kind, ScheduleLocations locations, ScheduledRun run, string at, string project)
    {
        Directory.CreateDirectory(ScheduledRun.FolderOf(run.StackDirectory));
        if (kind == ScheduleKind.Cron)
        {
            var file = locations.CronFile(run.Task, project);
            WriteCron(file, run, at, "Register-DatamancySchedule");
            return file;
        }

        var timer = locations.TimerFile(run.Task, project);
        var service = Path.ChangeExtension(timer, ".service");
        var timerText = TimerText(run, at, Path.GetFileName(service));
        Directory.CreateDirectory(locations.UnitDirectory);
        AtomicFile.WriteAllText(service, ServiceText(run), AtomicFile.Readable);
        AtomicFile.WriteAllText(timer, timerText, AtomicFile.Readable);
        return timer;
    }

    /// <summary>Writes one cron.d file (Set-DatamancyBackupPolicy's -ScheduleFile takes any path).</summary>
    public static void WriteCron(string file, ScheduledRun run, string at, string writer)
    {
        var text = CronText(run, at, writer);
        Directory.CreateDirectory(ScheduledRun.FolderOf(run.StackDirectory));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        AtomicFile.WriteAllText(file, text, AtomicFile.Readable);
    }

    /// <summary>The schedules in the folders, as their header comments describe them; files without one are not the module's.</summary>
    public static IEnumerable<ScheduleEntry> Read(ScheduleLocations locations)
    {
        foreach (var (folder, pattern, kind) in new[] { (locations.CronDirectory, "datamancy-*", ScheduleKind.Cron), (locations.UnitDirectory, "datamancy-*.timer", ScheduleKind.Systemd) })
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal))
            {
                if (kind == ScheduleKind.Cron && Path.GetFileName(file).Contains('.'))
                {
                    continue; // cron.d ignores names with dots, and so do we (a .timer, a temporary file)
                }

                if (Parse(file, kind) is { } entry)
                {
                    yield return entry;
                }
            }
        }
    }

    public static ScheduleEntry? Parse(string file, ScheduleKind kind)
    {
        string[] lines;
        try
        {
            lines = File.ReadLines(file).Take(8).ToArray();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string? Value(string key) => lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?[key.Length..];
        return Enum.TryParse<ScheduleTask>(Value(TaskKey), out var task) && Value(StackKey) is { } stack && Value(AtKey) is { } at
            ? new ScheduleEntry(task, stack, at, kind, file, Value(CommandKey) ?? string.Empty)
            : null;
    }

    private static string Header(ScheduledRun run, string at) =>
        $"{TaskKey}{run.Task}\n{StackKey}{run.StackDirectory}\n{AtKey}{at}\n{CommandKey}{run.Command.ReplaceLineEndings(" ")}\n";

    // systemd's double quotes take C escapes; $ and % are its own substitutions unless doubled.
    private static string SystemdQuoted(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("$", "$$", StringComparison.Ordinal)
        .Replace("%", "%%", StringComparison.Ordinal);
}

/// <summary>A schedule found in a cron.d or unit folder.</summary>
public sealed record ScheduleEntry(ScheduleTask Task, string StackDirectory, string At, ScheduleKind Kind, string File, string Command);
