using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Schedules;

namespace Datamancy.Commands;

/// <summary>Schedules a task (Backup, BackupDrill, ServiceTest, Report, SecurityAudit) as a cron.d file or a systemd timer that runs pwsh with the module and logs to data/schedules.</summary>
[Cmdlet(VerbsLifecycle.Register, "DatamancySchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ScheduleInfo))]
public sealed class RegisterDatamancyScheduleCommand : ScheduleCmdlet
{
    /// <summary>What to run.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public ScheduleTask Task { get; set; }

    /// <summary>When: a cron expression, five fields ('30 2 * * *') or a macro ('@daily').</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string At { get; set; } = string.Empty;

    /// <summary>Auto (systemd when the host runs it, else cron), Cron or Systemd.</summary>
    [Parameter]
    public ScheduleKind Kind { get; set; } = ScheduleKind.Auto;

    protected override void Process()
    {
        var stack = LoadStack();
        var locations = Locations;
        var kind = locations.Choose(Kind);
        ScheduleManager.Check(kind, At);

        var file = kind == ScheduleKind.Cron ? locations.CronFile(Task, stack.ProjectName) : locations.TimerFile(Task, stack.ProjectName);
        if (!ShouldProcess(file, $"Schedule {Task} of {stack.Directory} at '{At}'"))
        {
            return;
        }

        var run = new ScheduledRun(Task, stack.Directory, ScheduledModule.Pwsh(this), ScheduledModule.Manifest(this));
        ScheduleInfo? info = null;
        Guarded(() => info = new ScheduleManager(locations).Register(run, At, kind, stack.ProjectName), file);
        WriteObject(info);
    }
}
