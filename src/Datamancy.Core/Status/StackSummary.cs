using Datamancy.Schedules;
using Datamancy.Stack.Model;

namespace Datamancy.Status;

/// <summary>
/// Get-DatamancyStatus -Summary, as status pages say it: Down when none of the long-running services
/// runs, Up when nothing is wrong, else Degraded; the reasons are each service's problems, then the
/// scheduled runs whose last run failed.
/// </summary>
public static class StackSummary
{
    public static StackStatus Of(StackDefinition stack, IReadOnlyList<ServiceStatus> services, IReadOnlyList<ScheduleTrace> failedRuns, DateTimeOffset now)
    {
        var reasons = services.SelectMany(s => s.Problems.Select(p => $"{s.Name}: {p}"))
            .Concat(failedRuns.Select(t => $"scheduled {t.Task} failed (exit {t.ExitCode}) at {t.Ended:yyyy-MM-dd HH:mm} UTC; see {t.LogFile}"))
            .ToArray();
        var longRunning = services.Where(s => !s.IsJob).ToList();
        var running = services.Count(s => s.State == ContainerState.Running);
        var known = services.All(s => s.State != ContainerState.Unknown);
        var state = known && longRunning.Count > 0 && longRunning.All(s => s.State != ContainerState.Running) ? StackState.Down
            : reasons.Length == 0 ? StackState.Up
            : StackState.Degraded;
        return new StackStatus(stack.ProjectName, state, services.Count, running, services.Count(s => s.Well), reasons, now, stack.Directory);
    }
}
