using System.Management.Automation;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Stack.Model;
using Datamancy.Swarm;

namespace Datamancy.Commands.Infrastructure;

/// <summary>A stack cmdlet that talks to the Docker engine: -DockerHost, one connection for the pipeline, core work through the bridge.</summary>
public abstract class EngineCmdlet : StackCmdlet
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, LiveState>?> _live = new(StringComparer.Ordinal);
    private IDockerEngine? _engine;

    /// <summary>The engine: unix:///path, tcp://host:port or npipe://; default $env:DOCKER_HOST, then the usual sockets.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DockerHost { get; set; }

    /// <summary>Runs core work against the engine (connected on first use), writing its reports while it runs.</summary>
    protected T Run<T>(Func<IDockerEngine, IReporter, Task<T>> work)
    {
        var engine = _engine ??= Wait(token => DockerConnector.ConnectAsync(DockerHost, Environment.GetEnvironmentVariable, token));
        return Wait(_ => work(engine, Reporter));
    }

    protected void Run(Func<IDockerEngine, IReporter, Task> work) => Run(async (engine, reporter) =>
    {
        await work(engine, reporter).ConfigureAwait(false);
        return true;
    });

    /// <summary>
    /// The live state of the stack's services, or null (the static view) when no engine is configured
    /// or the one configured does not answer, which is a warning, not an error.
    /// </summary>
    protected IReadOnlyDictionary<string, LiveState>? TryReadLiveState(StackDefinition stack)
    {
        if (_live.TryGetValue(stack.Directory, out var cached))
        {
            return cached;
        }

        return _live[stack.Directory] = TryRun((engine, _) => LiveStateReader.ReadAsync(engine, stack.ProjectName, Cancellation));
    }

    /// <summary>
    /// Core work against the engine, or null when no engine is configured or the one configured does
    /// not answer, which is a warning ("Live state left out"), not an error.
    /// </summary>
    protected T? TryRun<T>(Func<IDockerEngine, IReporter, Task<T>> work)
        where T : class
    {
        try
        {
            if (DockerHost is not null || DockerConnector.Candidates(null, Environment.GetEnvironmentVariable).Any(DockerConnector.MayAnswer))
            {
                return Run(work);
            }
        }
        catch (DatamancyException exception)
        {
            WriteWarning($"Live state left out: {exception.Message}");
        }

        return null;
    }

    /// <summary>True for the cmdlets that take -Orchestrator and work on a swarm; the others refuse a stack whose default is swarm.</summary>
    protected virtual bool SupportsSwarm => false;

    protected override void OnStackLoaded(StackDefinition stack)
    {
        if (!SupportsSwarm && SwarmSettings.From(stack).Orchestrator == Orchestrator.Swarm)
        {
            throw SwarmRefusals.ModeUnsupported(MyInvocation.MyCommand.Name, stack);
        }
    }

    protected override void DisposeResources() => _engine?.Dispose();
}
