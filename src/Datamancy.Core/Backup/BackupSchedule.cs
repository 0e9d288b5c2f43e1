using System.Text.RegularExpressions;
using Datamancy.Errors;

namespace Datamancy.Backup;

/// <summary>
/// The cron.d entry that runs the backup and its drill on a schedule: checked as a five-field cron
/// expression (or @hourly, @daily ...), written as one line that runs pwsh as root with the module.
/// </summary>
public static partial class BackupSchedule
{
    private static readonly string[] Macros = ["@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight", "@reboot"];

    public static string DefaultFile(string project) => $"/etc/cron.d/datamancy-backup-{project}";

    public static void Validate(string schedule)
    {
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var valid = (fields.Length == 1 && Macros.Contains(fields[0]))
            || (fields.Length == 5 && fields.All(f => CronField().IsMatch(f)));
        if (!valid)
        {
            throw new DatamancyException(ErrorIds.InvalidSchedule, ErrorKind.InvalidArgument,
                $"'{schedule}' is not a cron schedule: give five fields (minute hour day-of-month month day-of-week, e.g. '30 2 * * *') or one of {string.Join(", ", Macros)}.", schedule);
        }
    }

    public static string CronLine(string schedule, string pwsh, string modulePath, string stackDirectory)
    {
        Validate(schedule);
        var command = $"Import-Module {Quote(modulePath)}; Invoke-DatamancyBackup -Path {Quote(stackDirectory)} | Test-DatamancyBackup -Path {Quote(stackDirectory)}";

        // cron gives % a meaning of its own; the command is passed as one double-quoted shell word.
        return $"{schedule} root {pwsh} -NoProfile -NonInteractive -Command \"{command.Replace("%", "\\%", StringComparison.Ordinal)}\"";
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?)*$")]
    private static partial Regex CronField();
}
