using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>
/// Gets the log lines of services' containers (on a swarm: of every task of the service, with its task
/// and node), stdout and stderr apart, with timestamps; with -Follow, new lines as they are written.
/// </summary>
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

    /// <summary>Swarm: the swarm services' logs, every task on every node; default: the stack's x-datamancy orchestrator, else Compose.</summary>
    [Parameter]
    public Orchestrator? Orchestrator { get; set; }

    protected override string Activity => "Reading logs";

    protected override bool SupportsSwarm => true;

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

        // One listing for all the names; each service's entries are written as soon as they are read.
        foreach (var (service, source) in Sources(stack, services))
        {
            WriteObject(IsSwarm(stack)
                ? Run((engine, reporter) => SwarmLogReader.ReadAllAsync(engine, reporter, service, source, Tail, SinceTime, Cancellation))
                : Run((engine, _) => LogReader.ReadAllAsync(engine, source, service, Tail, SinceTime, Cancellation)), enumerateCollection: true);
        }
    }

    protected override void End()
    {
        var containers = new List<(string Service, string ContainerId)>();
        var swarmServices = new List<(string Service, string ServiceId)>();
        foreach (var group in _followed.GroupBy(f => f.Stack))
        {
            var sources = Sources(group.Key, group.Select(f => f.Service).DistinctBy(s => s.Name).ToList());
            (IsSwarm(group.Key) ? swarmServices : containers).AddRange(sources);
        }

        if (containers.Count > 0 || swarmServices.Count > 0)
        {
            Run((engine, reporter) => Task.WhenAll(
                LogReader.FollowAsync(engine, containers, Tail, SinceTime, Emit, Cancellation),
                SwarmLogReader.FollowAsync(engine, reporter, swarmServices, Tail, SinceTime, Emit, Cancellation)));
        }
    }

    private bool IsSwarm(StackDefinition stack) => SwarmSettings.Resolve(stack, Orchestrator) == Datamancy.Orchestrator.Swarm;

    // Each service with its container (Compose) or swarm service (Swarm); one without is ContainerNotFound, written, and the others go on.
    private List<(string Service, string Source)> Sources(StackDefinition stack, IReadOnlyList<ServiceDefinition> services)
    {
        Func<string, string> find;
        if (IsSwarm(stack))
        {
            var swarm = Run((engine, _) => SwarmLogReader.ServicesAsync(engine, stack, Cancellation));
            find = name => SwarmLogReader.ServiceOf(swarm, stack, name);
        }
        else
        {
            var containers = Run((engine, _) => ContainerObserver.ListAsync(engine, stack.ProjectName, Cancellation));
            find = name => LogReader.ContainerOf(containers, stack.ProjectName, name);
        }

        var sources = new List<(string Service, string Source)>();
        foreach (var service in services)
        {
            try
            {
                sources.Add((service.Name, find(service.Name)));
            }
            catch (DatamancyException exception) when (exception.ErrorId == ErrorIds.ContainerNotFound)
            {
                WriteCoreError(exception);
            }
        }

        return sources;
    }
}
