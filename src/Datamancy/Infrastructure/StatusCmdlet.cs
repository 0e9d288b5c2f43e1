using Datamancy.Engine;
using Datamancy.Schedules;
using Datamancy.Stack.Model;
using Datamancy.Status;
using Datamancy.Status.Reports;

namespace Datamancy.Commands.Infrastructure;

/// <summary>A cmdlet that reads the stack's status: the engine's container list and an inspect per container, then the stack's files.</summary>
public abstract class StatusCmdlet : EngineCmdlet
{
    protected override string Activity => "Reading the Datamancy status";

    private protected StatusReport ReadReport(StackDefinition stack, IReadOnlyList<ServiceDefinition> services)
    {
        var containers = TryRun((engine, _) => ContainerObserver.ListAsync(engine, stack.ProjectName, Cancellation));
        var runtimes = containers is null ? null : TryRun((engine, _) => ContainerRuntime.ReadAsync(engine, containers, Cancellation));
        var now = DateTimeOffset.UtcNow;
        var statuses = StatusReader.Read(stack, services, containers, runtimes, Environment.GetEnvironmentVariable, now, Cancellation);
        var runs = StatusReport.ReadRuns(stack.Directory);
        return new StatusReport(StackSummary.Of(stack, statuses, runs.Where(r => r.Failed).ToList(), now), statuses, runs);
    }
}
