using System.Collections.Concurrent;
using System.Management.Automation;
using Datamancy.Reporting;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// The one bridge between a cmdlet and core work. The work runs off the pipeline thread; what it
/// reports (progress, verbose lines, warnings) and the objects it emits are queued from any thread and
/// written on the pipeline thread, in the order they came, while the cmdlet waits. Ctrl+C
/// (StopProcessing) cancels the token the work got, and the cancelled work surfaces as
/// PipelineStoppedException. One activity per cmdlet, a child progress record per subject.
/// </summary>
internal sealed class CoreBridge(PSCmdlet cmdlet, Func<string> activity, Action<object> write) : IReporter, IDisposable
{
    private readonly ConcurrentQueue<Message> _queue = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Dictionary<string, int> _progressIds = new(StringComparer.Ordinal);
    private bool _disposed;

    // How long a stopped cmdlet waits for its cancelled work to clean up before it lets go.
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromMinutes(10);

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Called by StopProcessing, on another thread.</summary>
    public void Cancel()
    {
        if (!_disposed)
        {
            _cancellation.Cancel();
        }
    }

    /// <summary>Queues a result for the pipeline; the cmdlet writes it (and its error, if it is a failure) on the pipeline thread.</summary>
    public void Emit(object item) => Post(new Message(Kind.Output, string.Empty, string.Empty, item));

    public void Progress(string subject, string status) => Post(new Message(Kind.Progress, subject, status, null));

    public void Verbose(string message) => Post(new Message(Kind.Verbose, string.Empty, message, null));

    public void Warning(string message) => Post(new Message(Kind.Warning, string.Empty, message, null));

    /// <summary>Runs <paramref name="work"/> off the pipeline thread and writes what it reports until it ends; its exception is rethrown here.</summary>
    public T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(Token), Token);
        task.ContinueWith(_ => _wake.Set(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            while (true)
            {
                _wake.Wait();
                _wake.Reset();
                Drain();
                if (task.IsCompleted)
                {
                    Drain();
                    break;
                }
            }
        }
        catch (PipelineStoppedException)
        {
            // Stopped while writing: the work has been cancelled and may still be putting things back
            // (a rollback, a removal); it must finish before the cmdlet and its connection go.
            _cancellation.Cancel();
            task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Wait(CleanupLimit);
            throw;
        }

        CompleteProgress();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Token.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    public void Run(Func<CancellationToken, Task> work) => Run(async token =>
    {
        await work(token).ConfigureAwait(false);
        return true;
    });

    /// <summary>Writes what was queued outside a Run (a core object that reports on its own, between runs).</summary>
    public void Flush() => Drain();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _cancellation.Cancel();
        _cancellation.Dispose();
        _wake.Dispose();
    }

    private void Post(Message message)
    {
        _queue.Enqueue(message);
        if (!_disposed)
        {
            _wake.Set();
        }
    }

    private void Drain()
    {
        while (_queue.TryDequeue(out var message))
        {
            switch (message.Kind)
            {
                case Kind.Output:
                    write(message.Item!);
                    break;
                case Kind.Progress:
                    if (!_progressIds.TryGetValue(message.Subject, out var id))
                    {
                        id = _progressIds[message.Subject] = _progressIds.Count + 2;
                        cmdlet.WriteProgress(new ProgressRecord(1, activity(), $"{_progressIds.Count} item(s)"));
                    }

                    cmdlet.WriteProgress(new ProgressRecord(id, message.Subject, message.Text) { ParentActivityId = 1 });
                    cmdlet.WriteVerbose($"{message.Subject}: {message.Text}");
                    break;
                case Kind.Warning:
                    cmdlet.WriteWarning(message.Text);
                    break;
                default:
                    cmdlet.WriteVerbose(message.Text);
                    break;
            }
        }
    }

    private void CompleteProgress()
    {
        foreach (var (name, id) in _progressIds)
        {
            cmdlet.WriteProgress(new ProgressRecord(id, name, "done") { ParentActivityId = 1, RecordType = ProgressRecordType.Completed });
        }

        if (_progressIds.Count > 0)
        {
            cmdlet.WriteProgress(new ProgressRecord(1, activity(), "done") { RecordType = ProgressRecordType.Completed });
        }

        _progressIds.Clear();
    }

    private enum Kind
    {
        Output,
        Progress,
        Verbose,
        Warning,
    }

    private sealed record Message(Kind Kind, string Subject, string Text, object? Item);
}
