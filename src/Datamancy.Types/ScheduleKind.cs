namespace Datamancy;

/// <summary>How a schedule is kept: a cron.d file, or a systemd timer and its service unit.</summary>
public enum ScheduleKind
{
    /// <summary>Systemd when the host runs systemd (/run/systemd/system exists), else Cron.</summary>
    Auto,

    Cron,

    Systemd,
}
