using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Schedules;

namespace Datamancy.Commands;

/// <summary>Removes the stack's schedule of a task: its cron.d file, or its systemd timer and service. Logs and the last run's trace stay.</summary>
[Cmdlet(VerbsLifecycle.Unregister, "DatamancySchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class UnregisterDatamancyScheduleCommand : ScheduleCmdlet
{
    /// <summary>The tasks whose schedules are removed; from the pipeline, the Task of Get-DatamancySchedule.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public ScheduleTask[] Task { get; set; } = [];

    protected override void Process()
    {
        var stack = LoadStack();
        var locations = Locations;
        var manager = new ScheduleManager(locations);
        foreach (var task in Task)
        {
            var entries = manager.Find(stack.Directory, [task]);
            if (entries.Count == 0)
            {
                WriteCoreError(ScheduleManager.NotFound(stack.Directory, task, locations));
                continue;
            }

            foreach (var entry in entries.Where(e => ShouldProcess(e.File, $"Remove the {task} schedule")))
            {
                Guarded(() => manager.Remove(entry), entry.File);
            }
        }
    }
}
