using System.Text.RegularExpressions;
using Datamancy.Errors;

namespace Datamancy.Schedules;

/// <summary>
/// A schedule as cron writes it: five fields (minute hour day-of-month month day-of-week) or a macro
/// (@hourly, @daily ...). Checked before anything is written; turned into a systemd OnCalendar where
/// the two mean the same.
/// </summary>
public static partial class CronExpression
{
    public static readonly IReadOnlyList<string> Macros = ["@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight", "@reboot"];

    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    public static void Validate(string schedule)
    {
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var valid = (fields.Length == 1 && Macros.Contains(fields[0]))
            || (fields.Length == 5 && fields.All(f => CronField().IsMatch(f)));
        if (!valid)
        {
            throw Invalid(schedule, $"give five fields (minute hour day-of-month month day-of-week, e.g. '30 2 * * *') or one of {string.Join(", ", Macros)}");
        }

        for (var i = 0; i < fields.Length && fields.Length == 5; i++)
        {
            var (name, low, high, names) = Limits[i];
            foreach (var token in fields[i].Split(',').SelectMany(p => p.Split('/')[0].Split('-')).Where(t => t != "*"))
            {
                var inRange = int.TryParse(token, out var number) ? number >= low && number <= high : names.Contains(token, StringComparer.OrdinalIgnoreCase);
                if (!inRange)
                {
                    throw Invalid(schedule, $"'{token}' is not a {name} (give {low}-{high}{(names.Length > 0 ? " or a name such as " + names[0] : string.Empty)})");
                }
            }

            if (fields[i].Split(',').Any(p => p.Split('/') is { Length: 2 } step && (!int.TryParse(step[1], out var every) || every < 1)))
            {
                throw Invalid(schedule, $"a step in '{fields[i]}' is not a positive number");
            }
        }
    }

    private static readonly (string Name, int Low, int High, string[] Names)[] Limits =
    [
        ("minute", 0, 59, []),
        ("hour", 0, 23, []),
        ("day of the month", 1, 31, []),
        ("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        ("day of the week", 0, 7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ];

    /// <summary>
    /// The systemd OnCalendar= for <paramref name="schedule"/>. Refused where systemd would mean
    /// something else (day-of-month and day-of-week both set: cron takes either, systemd both) or has
    /// no equivalent (@reboot, a step over a range, names of months).
    /// </summary>
    public static string ToOnCalendar(string schedule)
    {
        Validate(schedule);
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 1)
        {
            return fields[0] switch
            {
                "@hourly" => "hourly",
                "@daily" or "@midnight" => "daily",
                "@weekly" => "weekly",
                "@monthly" => "monthly",
                "@yearly" or "@annually" => "yearly",
                _ => throw NotForSystemd(schedule, "systemd timers have no @reboot (use OnBootSec= by hand)"),
            };
        }

        var (minute, hour, day, month, weekday) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        if (day != "*" && weekday != "*")
        {
            throw NotForSystemd(schedule, "cron runs when either day-of-month or day-of-week matches, systemd only when both do");
        }

        var calendar = $"*-{Field(month, 1, schedule)}-{Field(day, 1, schedule)} {Field(hour, 0, schedule)}:{Field(minute, 0, schedule)}:00";
        return weekday == "*" ? calendar : $"{Weekdays(weekday, schedule)} {calendar}";
    }

    public static DatamancyException Invalid(string schedule, string how) =>
        new(ErrorIds.InvalidSchedule, ErrorKind.InvalidArgument, $"'{schedule}' is not a cron schedule: {how}.", schedule);

    private static string Field(string field, int first, string schedule) => string.Join(',', field.Split(',').Select(part =>
    {
        if (part == "*")
        {
            return "*";
        }

        var step = part.Split('/');
        if (step.Length == 2)
        {
            return step[0] == "*" ? $"{first}/{step[1]}" : step[0].Contains('-') ? throw NotForSystemd(schedule, $"'{part}' steps over a range") : $"{step[0]}/{step[1]}";
        }

        return part.All(char.IsAsciiDigit) || part.Contains('-') && part.Split('-').All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
            ? part.Replace("-", "..", StringComparison.Ordinal)
            : throw NotForSystemd(schedule, $"'{part}' is not a number or a range of numbers");
    }));

    private static string Weekdays(string field, string schedule) => string.Join(',', field.Split(',').Select(part =>
    {
        var ends = part.Split('-');
        if (part.Contains('/') || ends.Length > 2)
        {
            throw NotForSystemd(schedule, $"'{part}' is not a day or a range of days");
        }

        return string.Join("..", ends.Select(d => Day(d, schedule)));
    }));

    private static string Day(string day, string schedule)
    {
        if (int.TryParse(day, out var number) && number is >= 0 and <= 7)
        {
            return Days[number % 7];
        }

        return Days.FirstOrDefault(d => d.Equals(day, StringComparison.OrdinalIgnoreCase)) ?? throw NotForSystemd(schedule, $"'{day}' is not a day of the week");
    }

    private static DatamancyException NotForSystemd(string schedule, string why) =>
        new(ErrorIds.InvalidSchedule, ErrorKind.InvalidArgument,
            $"'{schedule}' has no systemd OnCalendar equivalent: {why}. Give another schedule, or -Kind Cron.", schedule);

    [GeneratedRegex(@"^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?)*$")]
    private static partial Regex CronField();
}
