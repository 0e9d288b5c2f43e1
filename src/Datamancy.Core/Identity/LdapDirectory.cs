using System.DirectoryServices.Protocols;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using Datamancy.Reporting;

namespace Datamancy.Identity;

/// <summary>
/// The stack's directory over System.DirectoryServices.Protocols (libldap on Linux). One bound
/// connection per instance; every operation runs off the caller's thread and is bounded by the
/// target's timeout.
/// </summary>
public sealed class LdapDirectory : IUserDirectory
{
    private const int PageSize = 500;
    private const string StartTlsOid = "1.3.6.1.4.1.1466.20037";

    private readonly LdapConnection _connection;
    private readonly DirectoryEndpoint _endpoint;
    private readonly DirectoryLayout _layout;
    private readonly TlsTrust _trust;

    private LdapDirectory(LdapConnection connection, DirectoryEndpoint endpoint, DirectoryLayout layout, TlsTrust trust)
    {
        _connection = connection;
        _endpoint = endpoint;
        _layout = layout;
        _trust = trust;
    }

    public string ServerUri => _endpoint.Uri;

    /// <summary>Opens a TCP connection first (a clear "unreachable"), then TLS as needed, then binds.</summary>
    public static async Task<LdapDirectory> ConnectAsync(DirectoryTarget target, DirectoryLayout layout, IReporter reporter, CancellationToken cancellationToken)
    {
        var endpoint = target.Endpoint;
        await ProbeAsync(endpoint, target.Timeout, cancellationToken).ConfigureAwait(false);
        var connection = new LdapConnection(new LdapDirectoryIdentifier(endpoint.Host, endpoint.Port), null, AuthType.Basic);
        var trust = new TlsTrust();
        try
        {
            connection.Timeout = target.Timeout;
            // Never bind implicitly: credentials go out only after TLS is settled.
            connection.AutoBind = false;
            connection.SessionOptions.ProtocolVersion = 3;
            connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
            if (endpoint.Ldaps)
            {
                connection.SessionOptions.SecureSocketLayer = true;
            }

            if (endpoint.Ldaps || endpoint.NeedsStartTls(target.ForceStartTls))
            {
                trust.Apply(connection, endpoint, target.CaCertificate);
            }

            await Task.Run(() =>
            {
                if (endpoint.NeedsStartTls(target.ForceStartTls))
                {
                    reporter.Verbose($"Starting TLS with {endpoint.Uri}.");
                    RequireStartTls(connection, endpoint);
                    try
                    {
                        connection.SessionOptions.StartTransportLayerSecurity(null);
                    }
                    catch (Exception ex) when (ex is LdapException or DirectoryOperationException or TlsOperationException)
                    {
                        throw DirectoryErrors.TlsFailed(endpoint, ex);
                    }
                }

                reporter.Verbose($"Binding to {endpoint.Uri} as {target.BindDn}.");
                try
                {
                    connection.Bind(new NetworkCredential(target.BindDn, target.Password));
                }
                catch (LdapException ex) when (endpoint.Ldaps && DirectoryErrors.IsConnectionFailure(ex))
                {
                    // The TCP probe succeeded, so a "server down" here is the TLS handshake failing.
                    throw DirectoryErrors.TlsFailed(endpoint, ex);
                }
                catch (Exception ex) when (ex is LdapException or DirectoryOperationException)
                {
                    throw DirectoryErrors.From(ex, endpoint, "bind as", target.BindDn);
                }
            }, cancellationToken).ConfigureAwait(false);
            return new LdapDirectory(connection, endpoint, layout, trust);
        }
        catch
        {
            connection.Dispose();
            trust.Dispose();
            throw;
        }
    }

    public Task<IReadOnlyList<DirectoryUser>> FindUsersAsync(string assertionValue, CancellationToken cancellationToken) => Run("search users in", _layout.UsersDn, () =>
    {
        var filter = $"(&(objectClass=inetOrgPerson)({_layout.UserNameAttribute}={assertionValue}))";
        string[] attributes = [_layout.UserNameAttribute, _layout.DisplayNameAttribute, _layout.MailAttribute, "cn"];
        return (IReadOnlyList<DirectoryUser>)Search(_layout.UsersDn, filter, attributes)
            .Select(e => new DirectoryUser(e.DistinguishedName, First(e, _layout.UserNameAttribute),
                First(e, _layout.DisplayNameAttribute) is { Length: > 0 } display ? display : First(e, "cn"), First(e, _layout.MailAttribute)))
            .ToList();
    }, cancellationToken);

    public Task<IReadOnlyList<DirectoryGroup>> ListGroupsAsync(CancellationToken cancellationToken) => Run("list groups in", _layout.GroupsDn, () =>
        (IReadOnlyList<DirectoryGroup>)Search(_layout.GroupsDn, "(objectClass=groupOfNames)", [_layout.GroupNameAttribute, "description", "member"])
            .Select(e => new DirectoryGroup(e.DistinguishedName, First(e, _layout.GroupNameAttribute), First(e, "description"), All(e, "member")))
            .ToList(), cancellationToken);

    public Task AddUserAsync(string distinguishedName, string name, string displayName, string mail, CancellationToken cancellationToken) =>
        Run("create", distinguishedName, () => Send(new AddRequest(distinguishedName,
            new DirectoryAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
            new DirectoryAttribute(_layout.UserNameAttribute, name),
            new DirectoryAttribute("cn", displayName),
            new DirectoryAttribute("sn", Surname(displayName)),
            new DirectoryAttribute(_layout.DisplayNameAttribute, displayName),
            new DirectoryAttribute(_layout.MailAttribute, mail))), cancellationToken);

    public Task UpdateUserAsync(string distinguishedName, string? displayName, string? mail, CancellationToken cancellationToken) =>
        Run("update", distinguishedName, () =>
        {
            var request = new ModifyRequest(distinguishedName);
            if (displayName is not null)
            {
                request.Modifications.Add(Replace(_layout.DisplayNameAttribute, displayName));
                request.Modifications.Add(Replace("cn", displayName));
                request.Modifications.Add(Replace("sn", Surname(displayName)));
            }

            if (mail is not null)
            {
                request.Modifications.Add(Replace(_layout.MailAttribute, mail));
            }

            if (request.Modifications.Count > 0)
            {
                Send(request);
            }
        }, cancellationToken);

    public Task SetPasswordAsync(string distinguishedName, SecureString password, CancellationToken cancellationToken) =>
        Run("set the password of", distinguishedName, () =>
        {
            var bytes = Encoding.UTF8.GetBytes(Passwords.Reveal(password));
            var value = PasswordModifyRequest.Encode(distinguishedName, bytes);
            Array.Clear(bytes);
            try
            {
                Send(new ExtendedRequest(PasswordModifyRequest.Oid, value));
            }
            finally
            {
                Array.Clear(value);
            }
        }, cancellationToken);

    public Task ChangeMembersAsync(string groupDn, IReadOnlyList<string> add, IReadOnlyList<string> delete, CancellationToken cancellationToken) =>
        Run("change the members of", groupDn, () =>
        {
            // Adds first: groupOfNames must keep a member after every modify, checked once at its end.
            var request = new ModifyRequest(groupDn);
            if (add.Count > 0)
            {
                request.Modifications.Add(Modification(DirectoryAttributeOperation.Add, "member", add));
            }

            if (delete.Count > 0)
            {
                request.Modifications.Add(Modification(DirectoryAttributeOperation.Delete, "member", delete));
            }

            if (request.Modifications.Count > 0)
            {
                Send(request);
            }
        }, cancellationToken);

    public Task DeleteAsync(string distinguishedName, CancellationToken cancellationToken) =>
        Run("delete", distinguishedName, () => Send(new DeleteRequest(distinguishedName)), cancellationToken);

    public void Dispose()
    {
        _connection.Dispose();
        _trust.Dispose();
    }

    private static async Task ProbeAsync(DirectoryEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, limit.Token).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw DirectoryErrors.Unreachable(endpoint, ex.SocketErrorCode == SocketError.ConnectionRefused
                ? $"nothing listens on {endpoint.Host}:{endpoint.Port}"
                : ex.Message, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw DirectoryErrors.Unreachable(endpoint, $"no answer within {timeout.TotalSeconds:0} s", ex, timedOut: true);
        }
    }

    /// <summary>
    /// Reads the root DSE anonymously: on Linux, System.DirectoryServices.Protocols opens the
    /// connection only with a first request, and StartTLS needs an open one. It also tells whether
    /// the server offers StartTLS at all.
    /// </summary>
    private static void RequireStartTls(LdapConnection connection, DirectoryEndpoint endpoint)
    {
        SearchResponse rootDse;
        try
        {
            rootDse = (SearchResponse)connection.SendRequest(new SearchRequest(string.Empty, "(objectClass=*)", SearchScope.Base, "supportedExtension"));
        }
        catch (DirectoryOperationException)
        {
            // A server that hides its root DSE may still offer StartTLS: let StartTLS tell.
            return;
        }
        catch (LdapException ex)
        {
            throw DirectoryErrors.From(ex, endpoint, "read the root DSE of", endpoint.Uri);
        }

        var extensions = rootDse.Entries.Cast<SearchResultEntry>().SelectMany(e => All(e, "supportedExtension")).ToList();
        if (extensions.Count > 0 && !extensions.Contains(StartTlsOid))
        {
            throw DirectoryErrors.TlsFailed(endpoint, noStartTls: true);
        }
    }

    private Task Run(string action, string target, Action work, CancellationToken cancellationToken) =>
        Run(action, target, () =>
        {
            work();
            return true;
        }, cancellationToken);

    private Task<T> Run<T>(string action, string target, Func<T> work, CancellationToken cancellationToken) => Task.Run(() =>
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (ex is DirectoryException)
        {
            throw DirectoryErrors.From(ex, _endpoint, action, target);
        }
    }, cancellationToken);

    private DirectoryResponse Send(DirectoryRequest request) => _connection.SendRequest(request, _connection.Timeout);

    private List<SearchResultEntry> Search(string baseDn, string filter, string[] attributes)
    {
        var request = new SearchRequest(baseDn, filter, SearchScope.Subtree, attributes);
        var paging = new PageResultRequestControl(PageSize);
        request.Controls.Add(paging);
        var entries = new List<SearchResultEntry>();
        while (true)
        {
            var response = (SearchResponse)Send(request);
            entries.AddRange(response.Entries.Cast<SearchResultEntry>());
            var next = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault();
            if (next is null || next.Cookie.Length == 0)
            {
                return entries;
            }

            paging.Cookie = next.Cookie;
        }
    }

    private static string First(SearchResultEntry entry, string attribute) => All(entry, attribute).FirstOrDefault() ?? string.Empty;

    private static IReadOnlyList<string> All(SearchResultEntry entry, string attribute)
    {
        foreach (string name in entry.Attributes.AttributeNames)
        {
            if (string.Equals(name, attribute, StringComparison.OrdinalIgnoreCase))
            {
                return (string[])entry.Attributes[name].GetValues(typeof(string));
            }
        }

        return [];
    }

    // person requires sn; the last word of the display name is the best guess without asking.
    private static string Surname(string displayName) =>
        displayName.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? displayName;

    private static DirectoryAttributeModification Replace(string attribute, string value) =>
        Modification(DirectoryAttributeOperation.Replace, attribute, [value]);

    private static DirectoryAttributeModification Modification(DirectoryAttributeOperation operation, string attribute, IReadOnlyList<string> values)
    {
        var modification = new DirectoryAttributeModification { Name = attribute, Operation = operation };
        foreach (var value in values)
        {
            modification.Add(value);
        }

        return modification;
    }
}
