using Datamancy.Files;
using Datamancy.Schedules;

namespace Datamancy.Status.Reports;

/// <summary>What every report format renders: the stack's summary, its services, and the scheduled tasks' last runs.</summary>
public sealed record StatusReport(StackStatus Summary, IReadOnlyList<ServiceStatus> Services, IReadOnlyList<ScheduleTrace> Runs)
{
    /// <summary>data/reports/&lt;file&gt; in the stack folder: where a report goes without -Destination (the Report schedule's output).</summary>
    public static string DefaultPath(string stackDirectory, ReportFormat format) => Path.Combine(stackDirectory, "data", "reports", format switch
    {
        ReportFormat.Markdown => "services.md",
        ReportFormat.Html => "status.html",
        ReportFormat.Json => "status.json",
        _ => "datamancy.prom",
    });

    public string Render(ReportFormat format) => format switch
    {
        ReportFormat.Markdown => MarkdownReport.Render(this),
        ReportFormat.Html => HtmlReport.Render(this),
        ReportFormat.Json => JsonReport.Render(this),
        _ => PrometheusReport.Render(this),
    };

    /// <summary>Writes the report to a temporary file beside <paramref name="path"/> and renames it into place (what node_exporter's textfile collector needs).</summary>
    public FileInfo Write(ReportFormat format, string path)
    {
        var text = Render(format);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, text, AtomicFile.Readable);
        return new FileInfo(path);
    }

    /// <summary>Every task that has run, in task order.</summary>
    public static IReadOnlyList<ScheduleTrace> ReadRuns(string stackDirectory) =>
        Enum.GetValues<ScheduleTask>().Select(t => ScheduleTrace.Read(stackDirectory, t)).OfType<ScheduleTrace>().ToList();
}
