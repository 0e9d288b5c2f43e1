using System.Management.Automation;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// A stack cmdlet that talks to the Docker engine: -DockerHost, Ctrl+C through a cancellation
/// token, and core work run off the pipeline thread while progress, verbose and warning lines are
/// written on it.
/// </summary>
public abstract class EngineCmdlet : StackCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Dictionary<string, int> _progressIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, LiveState>?> _live = new(StringComparer.Ordinal);
    private IDockerEngine? _engine;

    /// <summary>The engine: unix:///path, tcp://host:port or npipe://; default $env:DOCKER_HOST, then the usual sockets.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DockerHost { get; set; }

    protected CancellationToken Cancellation => _cancellation.Token;

    /// <summary>The activity shown by Write-Progress.</summary>
    protected abstract string Activity { get; }

    /// <summary>Runs core work against the engine (connected first, on the pipeline thread), reporting while it waits.</summary>
    protected T Run<T>(Func<IDockerEngine, IEngineReporter, Task<T>> work)
    {
        var engine = _engine ??= RunCore(_ => DockerConnector.ConnectAsync(DockerHost, Environment.GetEnvironmentVariable, Cancellation));
        return RunCore(reporter => work(engine, reporter));
    }

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

        IReadOnlyDictionary<string, LiveState>? live = null;
        try
        {
            if (DockerHost is not null || DockerConnector.Candidates(null, Environment.GetEnvironmentVariable).Any(DockerConnector.MayAnswer))
            {
                live = Run((engine, _) => LiveStateReader.ReadAsync(engine, stack.ProjectName, Cancellation));
            }
        }
        catch (DatamancyException exception)
        {
            WriteWarning($"Live state left out: {exception.Message}");
        }

        return _live[stack.Directory] = live;
    }

    // Runs core work off the pipeline thread, draining its reports onto the pipeline every 200 ms until it ends.
    private T RunCore<T>(Func<IEngineReporter, Task<T>> work)
    {
        var reporter = new QueueReporter();
        var task = Task.Run(() => work(reporter));
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(200))
        {
            Drain(reporter);
            WhileWaiting();
        }

        Drain(reporter);
        WhileWaiting();
        CompleteProgress();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Called on the pipeline thread while core work runs and once when it ends: lets a cmdlet write results as they come.</summary>
    protected virtual void WhileWaiting()
    {
    }

    protected void WriteResults(IEnumerable<ServiceResult> results)
    {
        foreach (var result in results)
        {
            WriteObject(result);
            if (!result.Succeeded)
            {
                WriteCoreError(new Errors.DatamancyException(result.ErrorId, Errors.ErrorKind.InvalidOperation, result.Error, result.Name));
            }
        }
    }

    protected override void StopProcessing() => _cancellation.Cancel();

    public void Dispose()
    {
        _cancellation.Cancel();
        _engine?.Dispose();
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Drain(QueueReporter reporter)
    {
        while (reporter.Items.TryDequeue(out var item))
        {
            switch (item.Kind)
            {
                case "progress":
                    if (!_progressIds.TryGetValue(item.Subject, out var id))
                    {
                        id = _progressIds[item.Subject] = _progressIds.Count + 2;
                        WriteProgress(new ProgressRecord(1, Activity, $"{_progressIds.Count} service(s)"));
                    }

                    WriteProgress(new ProgressRecord(id, item.Subject, item.Text) { ParentActivityId = 1 });
                    WriteVerbose($"{item.Subject}: {item.Text}");
                    break;
                case "warning":
                    WriteWarning(item.Text);
                    break;
                default:
                    WriteVerbose(item.Text);
                    break;
            }
        }
    }

    private void CompleteProgress()
    {
        foreach (var (name, id) in _progressIds)
        {
            WriteProgress(new ProgressRecord(id, name, "done") { ParentActivityId = 1, RecordType = ProgressRecordType.Completed });
        }

        if (_progressIds.Count > 0)
        {
            WriteProgress(new ProgressRecord(1, Activity, "done") { RecordType = ProgressRecordType.Completed });
        }

        _progressIds.Clear();
    }
}
