using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;
using Docker.DotNet.Models;

namespace Datamancy.Swarm;

/// <summary>
/// Waits on a swarm service. A task with a healthcheck stays "starting" until it is healthy
/// (moby#24545), so "running" means running and healthy. An update is read from UpdateStatus: a
/// rollback is a failure with the swarm's reason and the failed task's error, never a success.
/// </summary>
public sealed class SwarmWaiter(IDockerEngine engine, IReporter reporter)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    // After an update call, how long an UpdateStatus of its own may take to appear; a spec change that replaces no task never gets one.
    private static readonly TimeSpan UpdateStatusGrace = TimeSpan.FromSeconds(5);

    /// <summary>Until the service's current tasks run (or its job completed); the task's last error on timeout.</summary>
    /// <param name="started">Called once when a current task has its container started (it may still wait to be healthy), or has ended.</param>
    public async Task WaitReadyAsync(string name, string serviceId, ServiceSpec spec, TimeSpan timeout, CancellationToken cancellationToken, Action? started = null)
    {
        var job = spec.Mode?.ReplicatedJob is not null;
        var wanted = job ? 1UL : spec.Mode?.Replicated?.Replicas ?? 1UL;
        var image = spec.TaskTemplate!.ContainerSpec!.Image;
        var deadline = DateTime.UtcNow + timeout;
        SwarmTaskInfo? last = null;
        while (true)
        {
            var tasks = await engine.ListTasksAsync(serviceId, cancellationToken).ConfigureAwait(false);
            var current = tasks.Where(t => t.Image == image).OrderByDescending(t => t.Timestamp).ToList();
            var done = current.Count(t => job ? t.State == "complete" : t.State == "running" && t.DesiredState == "running");
            if (started is not null && current.Any(t => t.State is "starting" or "running" or "complete" or "failed" or "rejected"))
            {
                started();
                started = null;
            }

            if ((ulong)done >= wanted)
            {
                return;
            }

            last = current.FirstOrDefault() ?? last;
            if (job && current.FirstOrDefault(t => t.State is "failed" or "rejected") is { } failed)
            {
                throw Failed(ErrorIds.SwarmTaskFailed, name, $"its job task {failed.State}: {Describe(failed)}");
            }

            reporter.Progress(name, last is null ? "waiting for a task" : $"task {last.State}");
            if (DateTime.UtcNow >= deadline)
            {
                throw new DatamancyException(ErrorIds.ServiceUnhealthy, ErrorKind.OperationTimeout,
                    $"Swarm service {name} has no running, healthy task after {timeout.TotalSeconds:0} s" +
                    (last is null ? "." : $"; its latest task is {last.State}: {Describe(last)}") +
                    " A task that stays 'preparing' is pulling its image (check that its node reaches the registry); see the task's log with docker service ps --no-trunc.", name);
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Until the update started after <paramref name="previousStart"/> completes, then until its tasks run; a rollback or pause throws.</summary>
    public async Task WaitUpdatedAsync(string name, string serviceId, ServiceSpec spec, DateTime? previousStart, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var deadline = started + timeout;
        // rollback_started says why ("update rolled back due to failure or early termination of task ..."); rollback_completed no longer does.
        string? reason = null;
        while (true)
        {
            var service = await engine.InspectServiceAsync(serviceId, cancellationToken).ConfigureAwait(false)
                ?? throw new DatamancyException(ErrorIds.EngineObjectNotFound, ErrorKind.ObjectNotFound, $"Swarm service {name} was removed during its update.", name);
            var status = service.UpdateStatus;
            var ours = status is not null && status.StartedAt != previousStart;
            if (ours && status!.State is "rollback_started" or "rollback_completed" or "rollback_paused" or "paused")
            {
                if (status.State == "rollback_started")
                {
                    reason = status.Message;
                    reporter.Progress(name, "rolling back");
                }
                else
                {
                    throw await RolledBackAsync(name, serviceId, status, reason, spec.TaskTemplate!.ContainerSpec!.Image, cancellationToken).ConfigureAwait(false);
                }
            }
            else if ((ours && status!.State == "completed") || (!ours && DateTime.UtcNow - started > UpdateStatusGrace))
            {
                await WaitReadyAsync(name, serviceId, spec, Max(deadline - DateTime.UtcNow, Poll), cancellationToken).ConfigureAwait(false);
                return;
            }
            else
            {
                reporter.Progress(name, "updating");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new DatamancyException(ErrorIds.ServiceUnhealthy, ErrorKind.OperationTimeout,
                    $"The update of swarm service {name} did not finish within {timeout.TotalSeconds:0} s (state {status?.State ?? "unknown"}).", name);
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DatamancyException> RolledBackAsync(string name, string serviceId, Docker.DotNet.Models.UpdateStatus status, string? reason, string? image,
        CancellationToken cancellationToken)
    {
        // The task of the new spec tells what went wrong (its error, or its last message such as the healthcheck's verdict).
        var tasks = await engine.ListTasksAsync(serviceId, cancellationToken).ConfigureAwait(false);
        var failed = tasks.FirstOrDefault(t => reason?.Contains(t.Id, StringComparison.Ordinal) == true)
            ?? tasks.Where(t => t.Image == image).OrderByDescending(t => t.Error.Length > 0 || t.State is "failed" or "rejected").ThenByDescending(t => t.Timestamp).FirstOrDefault();
        var outcome = status.State switch
        {
            "rollback_completed" => "the swarm rolled it back to the previous spec",
            "rollback_paused" => "its rollback failed too and is paused (the service may be half updated)",
            _ => "the swarm paused it",
        };
        return Failed(ErrorIds.SwarmRolledBack, name,
            $"its update failed and {outcome}: {reason ?? status.Message}" + (failed is null ? "." : $"; the new task ended {failed.State}: {Describe(failed)}."));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Describe(SwarmTaskInfo task) => task.Error.Length > 0 ? task.Error : task.Message;

    private static DatamancyException Failed(string id, string name, string what) =>
        new(id, ErrorKind.InvalidOperation, $"Swarm service {name}: {what}", name);
}
