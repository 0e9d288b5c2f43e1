using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Schedules;

namespace Datamancy.Commands;

/// <summary>Lists the stack's schedules from the cron.d and systemd unit folders, with each task's last run and exit code.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancySchedule")]
[OutputType(typeof(ScheduleInfo))]
public sealed class GetDatamancyScheduleCommand : ScheduleCmdlet
{
    /// <summary>Only these tasks; default: every schedule of the stack.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public ScheduleTask[]? Task { get; set; }

    protected override void Process()
    {
        var stack = LoadStack();
        foreach (var entry in new ScheduleManager(Locations).Find(stack.Directory, Task))
        {
            WriteObject(ScheduleManager.ToInfo(entry));
        }
    }
}
