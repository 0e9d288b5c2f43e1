namespace Datamancy.Schedules;

/// <summary>
/// Where schedules are kept, and which kind the host takes: a cron.d folder (default /etc/cron.d,
/// $env:DATAMANCY_CRON_DIR overrides) or a systemd unit folder (default /etc/systemd/system,
/// $env:DATAMANCY_SYSTEMD_DIR overrides). Tests point both at temporary folders.
/// </summary>
public sealed record ScheduleLocations(string CronDirectory, string UnitDirectory, bool HostRunsSystemd)
{
    public const string DefaultCronDirectory = "/etc/cron.d";
    public const string DefaultUnitDirectory = "/etc/systemd/system";
    public const string CronVariable = "DATAMANCY_CRON_DIR";
    public const string UnitVariable = "DATAMANCY_SYSTEMD_DIR";

    /// <summary>The folders given, else from the environment, else the system's; systemd counts as running when /run/systemd/system exists (sd_booted).</summary>
    public static ScheduleLocations Resolve(string? cronDirectory, string? unitDirectory, Func<string, string?> environment) => new(
        cronDirectory ?? NonEmpty(environment(CronVariable)) ?? DefaultCronDirectory,
        unitDirectory ?? NonEmpty(environment(UnitVariable)) ?? DefaultUnitDirectory,
        Directory.Exists("/run/systemd/system"));

    /// <summary>True when the unit folder is the system's own, so systemctl is told about changes.</summary>
    public bool IsSystemUnitDirectory => Path.GetFullPath(UnitDirectory).TrimEnd('/') == DefaultUnitDirectory && HostRunsSystemd;

    public ScheduleKind Choose(ScheduleKind kind) => kind != ScheduleKind.Auto ? kind : HostRunsSystemd ? ScheduleKind.Systemd : ScheduleKind.Cron;

    /// <summary>datamancy-&lt;task&gt;-&lt;project&gt; (cron.d takes only letters, digits, - and _ in names).</summary>
    public static string BaseName(ScheduleTask task, string project) => $"datamancy-{ScheduledRun.Slug(task)}-{project}";

    public string CronFile(ScheduleTask task, string project) => Path.Combine(CronDirectory, BaseName(task, project));

    public string TimerFile(ScheduleTask task, string project) => Path.Combine(UnitDirectory, BaseName(task, project) + ".timer");

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
