using System.Management.Automation;
using Datamancy.Schedules;

namespace Datamancy.Commands.Infrastructure;

/// <summary>A schedule cmdlet: where cron.d files and systemd units are kept (parameters, else $env:DATAMANCY_CRON_DIR and $env:DATAMANCY_SYSTEMD_DIR, else the system's).</summary>
public abstract class ScheduleCmdlet : StackCmdlet
{
    /// <summary>The cron.d folder; default $env:DATAMANCY_CRON_DIR, else /etc/cron.d.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CronDirectory { get; set; }

    /// <summary>The systemd unit folder; default $env:DATAMANCY_SYSTEMD_DIR, else /etc/systemd/system.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UnitDirectory { get; set; }

    private protected ScheduleLocations Locations => ScheduleLocations.Resolve(
        CronDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(CronDirectory),
        UnitDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(UnitDirectory),
        Environment.GetEnvironmentVariable);

    private protected void Guarded(Action action, string file)
    {
        try
        {
            action();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new Errors.DatamancyException(Errors.ErrorIds.FileUnwritable, Errors.ErrorKind.PermissionDenied,
                $"Cannot change '{file}': {exception.Message} Run as root, or give -CronDirectory/-UnitDirectory a folder you can write.", file, exception);
        }
    }
}
