using Datamancy.Errors;
using Datamancy.Schedules;
using Xunit;

namespace Datamancy.Tests.Schedules;

public sealed class ScheduleTests
{
    [Theory]
    [InlineData("30 2 * * *")]
    [InlineData("*/15 * * * 1-5")]
    [InlineData("0 3 1,15 * sun")]
    [InlineData("0 0 * jan-mar 0")]
    [InlineData("@daily")]
    public void AcceptsCron(string schedule) => CronExpression.Validate(schedule);

    [Theory]
    [InlineData("every day")]
    [InlineData("30 2 * *")]
    [InlineData("30 2 * * * *")]
    [InlineData("@sometimes")]
    [InlineData("30 2 * * *; rm -rf /")]
    [InlineData("60 2 * * *")]
    [InlineData("0 24 * * *")]
    [InlineData("0 0 0 * *")]
    [InlineData("0 0 * 13 *")]
    [InlineData("0 0 * * 8")]
    [InlineData("*/0 * * * *")]
    [InlineData("0 0 * * someday")]
    public void RefusesWhatIsNotCron(string schedule)
    {
        var error = Assert.Throws<DatamancyException>(() => CronExpression.Validate(schedule));
        Assert.Equal(ErrorIds.InvalidSchedule, error.ErrorId);
    }

    [Theory]
    [InlineData("30 2 * * *", "*-*-* 2:30:00")]
    [InlineData("*/15 * * * 1-5", "Mon..Fri *-*-* *:0/15:00")]
    [InlineData("0 3 1,15 * *", "*-*-1,15 3:0:00")]
    [InlineData("0 4 * * 0,7", "Sun,Sun *-*-* 4:0:00")]
    [InlineData("@weekly", "weekly")]
    public void TurnsCronIntoOnCalendar(string schedule, string calendar) => Assert.Equal(calendar, CronExpression.ToOnCalendar(schedule));

    [Theory]
    [InlineData("0 3 1 * 1")]
    [InlineData("@reboot")]
    [InlineData("0 1-5/2 * * *")]
    [InlineData("0 0 * jan *")]
    public void RefusesOnCalendarWhereSystemdMeansSomethingElse(string schedule) =>
        Assert.Equal(ErrorIds.InvalidSchedule, Assert.Throws<DatamancyException>(() => CronExpression.ToOnCalendar(schedule)).ErrorId);

    [Fact]
    public void CronLineRunsTheBackupAndItsDrillQuotingPathsAndLeavesATrace()
    {
        var run = new ScheduledRun(ScheduleTask.Backup, "/srv/o'brien $stack", "/opt/pwsh/pwsh", "/m/Datamancy.psd1");
        var text = ScheduleFiles.CronText(run, "30 2 * * *", "Test");
        var line = text.Split('\n').Single(l => l.StartsWith("30 2 * * * root ", StringComparison.Ordinal));
        Assert.Equal("30 2 * * * root { [ ! -f '/srv/o'\\''brien $stack/data/schedules/backup.log' ] || [ \"$(wc -c < '/srv/o'\\''brien $stack/data/schedules/backup.log')\" -lt 1048576 ] "
            + "|| mv -f '/srv/o'\\''brien $stack/data/schedules/backup.log' '/srv/o'\\''brien $stack/data/schedules/backup.log.1'; }; '/opt/pwsh/pwsh' -NoProfile -NonInteractive -Command \"Import-Module '/m/Datamancy.psd1'; \\$Error.Clear(); "
            + "Invoke-DatamancyBackup -Path '/srv/o''brien \\$stack' | Test-DatamancyBackup -Path '/srv/o''brien \\$stack'; if (\\$Error.Count -gt 0) { exit 1 }\" "
            + ">> '/srv/o'\\''brien $stack/data/schedules/backup.log' 2>&1; echo $? > '/srv/o'\\''brien $stack/data/schedules/backup.exit.tmp' "
            + "&& mv -f '/srv/o'\\''brien $stack/data/schedules/backup.exit.tmp' '/srv/o'\\''brien $stack/data/schedules/backup.exit'", line);
        var entry = WriteAndParse(text);
        Assert.Equal(ScheduleTask.Backup, entry.Task);
        Assert.Equal("/srv/o'brien $stack", entry.StackDirectory);
        Assert.Equal("30 2 * * *", entry.At);
    }

    [Fact]
    public void EscapesPercentForCronAndForSystemd()
    {
        var run = new ScheduledRun(ScheduleTask.ServiceTest, "/srv/100%", "pwsh", "Datamancy");
        Assert.Contains("/srv/100\\%", ScheduleFiles.CronText(run, "@hourly", "Test"), StringComparison.Ordinal);
        var service = ScheduleFiles.ServiceText(run);
        Assert.Contains("/srv/100%%", service, StringComparison.Ordinal);
        Assert.Contains("$$Error.Clear()", service, StringComparison.Ordinal);
    }

    private static ScheduleEntry WriteAndParse(string text)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, text);
            return ScheduleFiles.Parse(file, ScheduleKind.Cron)!;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
