using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Commands;

/// <summary>Gets the log lines of services' containers, stdout and stderr apart, with timestamps; with -Follow, new lines as they are written.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyLog")]
[OutputType(typeof(LogEntry))]
public sealed class GetDatamancyLogCommand : EngineCmdlet
{
    private readonly List<(StackDefinition Stack, ServiceDefinition Service)> _followed = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Only the last N lines of each service.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Only lines written at or after this time; a TimeSpan means that long ago.</summary>
    [Parameter]
    [PointInTime]
    public DateTime? Since { get; set; }

    /// <summary>Keep reading: write new lines as they arrive, until Ctrl+C or until every container stops.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    protected override string Activity => "Reading logs";

    private DateTimeOffset? SinceTime =>
        Since is { } time ? new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Local) : time) : null;

    protected override void Process()
    {
        var stack = LoadStack();
        var services = ServiceSelection.Named(stack, Name);
        if (Follow)
        {
            // Followed logs never end by themselves: all the pipeline's services are followed together, at the end.
            _followed.AddRange(services.Select(s => (stack, s)));
            return;
        }

        // One container listing for all the names; each service's entries are written as soon as they are read.
        var containers = Run((engine, _) => ContainerObserver.ListAsync(engine, stack.ProjectName, Cancellation));
        foreach (var service in services)
        {
            if (ContainerOf(containers, stack, service) is { } id)
            {
                WriteObject(Run((engine, _) => LogReader.ReadAllAsync(engine, id, service.Name, Tail, SinceTime, Cancellation)), enumerateCollection: true);
            }
        }
    }

    protected override void End()
    {
        var sources = new List<(string Service, string ContainerId)>();
        foreach (var group in _followed.GroupBy(f => f.Stack))
        {
            var containers = Run((engine, _) => ContainerObserver.ListAsync(engine, group.Key.ProjectName, Cancellation));
            foreach (var (stack, service) in group.DistinctBy(f => f.Service.Name))
            {
                if (ContainerOf(containers, stack, service) is { } id)
                {
                    sources.Add((service.Name, id));
                }
            }
        }

        if (sources.Count > 0)
        {
            Run((engine, _) => LogReader.FollowAsync(engine, sources, Tail, SinceTime, Emit, Cancellation));
        }
    }

    // The service's container, or null after writing ContainerNotFound (the other services go on).
    private string? ContainerOf(IReadOnlyDictionary<string, LiveContainer> containers, StackDefinition stack, ServiceDefinition service)
    {
        try
        {
            return LogReader.ContainerOf(containers, stack.ProjectName, service.Name);
        }
        catch (DatamancyException exception) when (exception.ErrorId == ErrorIds.ContainerNotFound)
        {
            WriteCoreError(exception);
            return null;
        }
    }
}
