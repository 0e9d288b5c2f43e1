using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Status.Reports;

namespace Datamancy.Commands;

/// <summary>Writes the stack's status as the docs site's Markdown page, one self-contained Html page, Json, or a Prometheus textfile, atomically.</summary>
[Cmdlet(VerbsData.Export, "DatamancyReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportDatamancyReportCommand : StatusCmdlet
{
    /// <summary>Markdown, Html, Json or Prometheus.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public ReportFormat Format { get; set; }

    /// <summary>The file to write (replaced atomically); a folder takes the format's file name; default data/reports/&lt;file&gt; in the stack folder.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    protected override void End()
    {
        var stack = LoadStack();
        var path = StatusReport.DefaultPath(stack.Directory, Format);
        if (Destination is not null)
        {
            path = GetUnresolvedProviderPathFromPSPath(Destination);
            if (Directory.Exists(path))
            {
                path = System.IO.Path.Combine(path, System.IO.Path.GetFileName(StatusReport.DefaultPath(stack.Directory, Format)));
            }
        }

        if (!ShouldProcess(path, $"Write the {Format} status report"))
        {
            return;
        }

        var report = ReadReport(stack, stack.Services);
        try
        {
            WriteObject(report.Write(Format, path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new Errors.DatamancyException(Errors.ErrorIds.FileUnwritable, Errors.ErrorKind.PermissionDenied,
                $"Cannot write '{path}': {exception.Message} Give -Destination a file in a folder you can write.", path, exception);
        }
    }
}
