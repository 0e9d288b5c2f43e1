using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Engine;
using Datamancy.Errors;

namespace Datamancy.Commands;

/// <summary>Gets the log lines of services' containers, stdout and stderr apart, with timestamps.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyLog")]
[OutputType(typeof(LogEntry))]
public sealed class GetDatamancyLogCommand : EngineCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Only the last N lines of each service.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Only lines written at or after this time.</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    protected override string Activity => "Reading logs";

    protected override void Process()
    {
        var stack = LoadStack();
        var services = ServiceSelection.Named(stack, Name);
        var since = Since is { } time ? new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Local) : time) : (DateTimeOffset?)null;
        // One container listing for all the names; each service's entries are written as soon as they are read.
        var containers = Run((engine, _) => ContainerObserver.ListAsync(engine, stack.ProjectName, Cancellation));
        foreach (var service in services)
        {
            try
            {
                var id = LogReader.ContainerOf(containers, stack.ProjectName, service.Name);
                WriteObject(Run((engine, _) => LogReader.ReadAllAsync(engine, id, service.Name, Tail, since, Cancellation)), enumerateCollection: true);
            }
            catch (DatamancyException exception) when (exception.ErrorId == ErrorIds.ContainerNotFound)
            {
                WriteCoreError(exception);
            }
        }
    }
}
