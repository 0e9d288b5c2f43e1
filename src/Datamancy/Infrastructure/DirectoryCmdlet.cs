using System.Collections.Concurrent;
using System.Management.Automation;
using Datamancy.Errors;
using Datamancy.Identity;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// A cmdlet that works on the stack's directory: -Server, -Credential and TLS options, one bound
/// session per stack and server for the whole pipeline, Ctrl+C cancels, and the core's verbose
/// lines are written on the pipeline thread.
/// </summary>
public abstract class DirectoryCmdlet : StackCmdlet, IDisposable
{
    private static readonly HashSet<string> SessionErrors = new(StringComparer.Ordinal)
    {
        ErrorIds.DirectoryUnreachable, ErrorIds.DirectoryAuthenticationFailed, ErrorIds.DirectoryTlsFailed,
    };

    private readonly CancellationTokenSource _cancellation = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Dictionary<string, DirectoryManager> _sessions = new(StringComparer.Ordinal);

    /// <summary>The directory server as ldap://host[:port] or ldaps://host[:port]; by default the port the stack publishes on 127.0.0.1.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Server { get; set; }

    /// <summary>Who binds: a DN, or a user name of the people OU; by default the admin DN with LDAP_ADMIN_PASSWORD from .env.</summary>
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>The CA certificate (PEM file, or a folder of them) that the server's TLS certificate must chain to.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CaCertificate { get; set; }

    /// <summary>StartTLS even when the server is on loopback (it is always used for other hosts on ldap://).</summary>
    [Parameter]
    public SwitchParameter StartTls { get; set; }

    protected DirectoryManager OpenDirectory()
    {
        var stack = LoadStack();
        var key = $"{stack.Directory}\n{Server}";
        if (!_sessions.TryGetValue(key, out var manager))
        {
            var config = AutheliaConfig.Load(stack.Directory);
            var ca = CaCertificate is null ? null : GetUnresolvedProviderPathFromPSPath(CaCertificate);
            var credential = Credential == PSCredential.Empty ? null : Credential;
            manager = Wait(token => DirectoryManager.ConnectAsync(stack, config, Server, credential?.UserName, credential?.Password, ca, StartTls, _log.Enqueue, token));
            _sessions[key] = manager;
        }

        return manager;
    }

    /// <summary>Waits for core work on the pipeline thread, writing its verbose lines meanwhile.</summary>
    protected T Wait<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = work(_cancellation.Token);
        try
        {
            while (!task.Wait(200))
            {
                Drain();
            }
        }
        catch (AggregateException)
        {
            // GetResult below rethrows the original exception.
        }

        Drain();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    protected void Wait(Func<CancellationToken, Task> work) => Wait(async token =>
    {
        await work(token).ConfigureAwait(false);
        return true;
    });

    /// <summary>
    /// Runs the work for one item: an error about that item is written and the pipeline goes on;
    /// an error about the session (unreachable, wrong credentials, TLS) stops the command.
    /// </summary>
    protected void ForItem(Action work)
    {
        try
        {
            work();
        }
        catch (DatamancyException exception) when (!SessionErrors.Contains(exception.ErrorId))
        {
            WriteCoreError(exception);
        }
    }

    protected override void StopProcessing() => _cancellation.Cancel();

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }

        _sessions.Clear();
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Drain()
    {
        while (_log.TryDequeue(out var line))
        {
            WriteVerbose(line);
        }
    }
}
