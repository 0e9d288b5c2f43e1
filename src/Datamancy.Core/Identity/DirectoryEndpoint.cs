using System.Globalization;
using System.Net;
using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Identity;

/// <summary>
/// The directory server to talk to: -Server, else the port the stack's compose file publishes for
/// its ldap service on a loopback address. Traffic leaves the machine only inside TLS: ldaps://, or
/// StartTLS on ldap:// to any host that is not a loopback address.
/// </summary>
public sealed record DirectoryEndpoint(string Host, int Port, bool Ldaps, bool IsLoopback)
{
    public const string ServiceName = "ldap";

    public string Uri => $"{(Ldaps ? "ldaps" : "ldap")}://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>StartTLS is used on ldap:// unless the server is on this machine's loopback.</summary>
    public bool NeedsStartTls(bool forced) => !Ldaps && (forced || !IsLoopback);

    public static DirectoryEndpoint Parse(string server)
    {
        if (!System.Uri.TryCreate(server, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("ldap" or "ldaps")
            || uri.Host.Length == 0
            || uri.AbsolutePath is not ("" or "/")
            || uri.Query.Length > 0
            || uri.UserInfo.Length > 0)
        {
            throw new DatamancyException(ErrorIds.InvalidDirectoryServer, ErrorKind.InvalidArgument,
                $"The server '{server}' is not an LDAP address: write it as ldap://host[:port] or ldaps://host[:port], such as ldap://127.0.0.1:389.", server);
        }

        var ldaps = uri.Scheme == "ldaps";
        var host = uri.IdnHost.Trim('[', ']');
        var port = uri.IsDefaultPort || uri.Port < 0 ? (ldaps ? 636 : 389) : uri.Port;
        return new DirectoryEndpoint(host, port, ldaps, IsLoopbackHost(host));
    }

    public static DirectoryEndpoint FromStack(StackDefinition stack)
    {
        var service = stack.FindService(ServiceName)
            ?? throw NotPublished(stack, $"{stack.ComposeFile} defines no '{ServiceName}' service");
        foreach (var (target, ldaps) in new[] { ("389", false), ("636", true) })
        {
            var port = service.Ports.FirstOrDefault(p => p.Target == target && p.Protocol == "tcp");
            if (port is null)
            {
                continue;
            }

            if (!IPAddress.TryParse(port.HostIp.Trim('[', ']'), out var address) || !IPAddress.IsLoopback(address))
            {
                throw NotPublished(stack, $"the '{ServiceName}' service publishes port {target} on '{(port.HostIp.Length > 0 ? port.HostIp : "all interfaces")}', not on a loopback address; publish it as \"127.0.0.1:{target}:{target}\"");
            }

            if (port.Published is null || !int.TryParse(port.Published.Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var published))
            {
                throw NotPublished(stack, $"the '{ServiceName}' service publishes port {target} on an ephemeral host port");
            }

            return new DirectoryEndpoint(address.ToString(), published, ldaps, true);
        }

        throw NotPublished(stack, $"the '{ServiceName}' service publishes neither port 389 nor 636");
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private static DatamancyException NotPublished(StackDefinition stack, string reason) =>
        new(ErrorIds.DirectoryServerNotPublished, ErrorKind.ObjectNotFound,
            $"No directory server to use: {reason}. Give the server with -Server ldap://host:port, or fix {stack.ComposeFile}.", stack.ComposeFile);
}
