using System.Diagnostics;
using Datamancy.Errors;

namespace Datamancy.Schedules;

/// <summary>
/// Register-, Get- and Unregister-DatamancySchedule: one schedule per task and stack, kept as a cron.d
/// file or a systemd timer; systemctl is told only when the units are the system's own.
/// </summary>
public sealed class ScheduleManager(ScheduleLocations locations)
{
    public ScheduleInfo Register(ScheduledRun run, string at, ScheduleKind kind, string project)
    {
        var chosen = locations.Choose(kind);
        Check(chosen, at);

        // One kind per task: a schedule of the other kind would run the task twice.
        foreach (var old in Find(run.StackDirectory, [run.Task]).Where(e => e.Kind != chosen))
        {
            Remove(old);
        }

        var file = ScheduleFiles.Write(chosen, locations, run, at, project);
        if (chosen == ScheduleKind.Systemd && locations.IsSystemUnitDirectory)
        {
            Systemctl("daemon-reload");
            Systemctl("enable", "--now", Path.GetFileName(file));
        }

        return ToInfo(new ScheduleEntry(run.Task, run.StackDirectory, at, chosen, file, run.Command));
    }

    /// <summary>Refuses a schedule the chosen kind cannot keep, before anything is written.</summary>
    public static void Check(ScheduleKind chosen, string at)
    {
        if (chosen == ScheduleKind.Systemd)
        {
            CronExpression.ToOnCalendar(at);
        }
        else
        {
            CronExpression.Validate(at);
        }
    }

    public IReadOnlyList<ScheduleEntry> Find(string stackDirectory, IReadOnlyCollection<ScheduleTask>? tasks) =>
        ScheduleFiles.Read(locations)
            .Where(e => e.StackDirectory == stackDirectory && (tasks is null || tasks.Count == 0 || tasks.Contains(e.Task)))
            .ToList();

    public void Remove(ScheduleEntry entry)
    {
        if (entry.Kind == ScheduleKind.Systemd && locations.IsSystemUnitDirectory)
        {
            Systemctl("disable", "--now", Path.GetFileName(entry.File));
        }

        File.Delete(entry.File);
        if (entry.Kind == ScheduleKind.Systemd)
        {
            File.Delete(Path.ChangeExtension(entry.File, ".service"));
        }
    }

    public static ScheduleInfo ToInfo(ScheduleEntry entry)
    {
        var trace = ScheduleTrace.Read(entry.StackDirectory, entry.Task);
        return new ScheduleInfo(entry.Task, entry.At, entry.Kind, entry.File, entry.Command, ScheduledRun.LogFileOf(entry.StackDirectory, entry.Task),
            trace?.Ended, trace?.ExitCode, entry.StackDirectory);
    }

    public static DatamancyException NotFound(string stackDirectory, ScheduleTask task, ScheduleLocations locations) =>
        new(ErrorIds.ScheduleNotFound, ErrorKind.ObjectNotFound,
            $"No {task} schedule of {stackDirectory} is in {locations.CronDirectory} or {locations.UnitDirectory}; list them with Get-DatamancySchedule.", task);

    private static void Systemctl(params string[] arguments)
    {
        var info = new ProcessStartInfo("systemctl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new DatamancyException(ErrorIds.ScheduleActivationFailed, ErrorKind.InvalidOperation,
                $"systemctl {string.Join(' ', arguments)} failed ({error.Trim()}); the unit files are written. Run it by hand, or use -Kind Cron.", arguments[^1]);
        }
    }
}
