using System.Management.Automation;
using Datamancy.Errors;
using Datamancy.Identity;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// A cmdlet that works on the stack's directory: -Server, -Credential and TLS options, one bound
/// session per stack and server for the whole pipeline; core work goes through the bridge (Wait).
/// </summary>
public abstract class DirectoryCmdlet : StackCmdlet
{
    private static readonly HashSet<string> SessionErrors = new(StringComparer.Ordinal)
    {
        ErrorIds.DirectoryUnreachable, ErrorIds.DirectoryAuthenticationFailed, ErrorIds.DirectoryTlsFailed,
    };

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
            manager = Wait(token => DirectoryManager.ConnectAsync(stack, config, Server, credential?.UserName, credential?.Password, ca, StartTls, Reporter, token));
            _sessions[key] = manager;
        }

        return manager;
    }

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

    protected override void DisposeResources()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }

        _sessions.Clear();
    }
}
