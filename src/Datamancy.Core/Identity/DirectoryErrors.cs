using System.DirectoryServices.Protocols;
using Datamancy.Errors;

namespace Datamancy.Identity;

/// <summary>Turns LDAP failures into the module's errors: what failed, on which server, and what to do.</summary>
public static class DirectoryErrors
{
    // LDAP result codes (RFC 4511) and libldap client codes that SDS.P reports as LdapException.ErrorCode.
    private const int InvalidCredentials = 49;
    private const int ServerDown = 81;
    private const int Timeout = 85;
    private const int ConnectError = 91;

    /// <summary>libldap's "server down" or "connect error": no LDAP session could be set up.</summary>
    public static bool IsConnectionFailure(LdapException exception) => exception.ErrorCode is ServerDown or ConnectError;

    public static DatamancyException Unreachable(DirectoryEndpoint endpoint, string reason, Exception? inner = null, bool timedOut = false) =>
        new(ErrorIds.DirectoryUnreachable, timedOut ? ErrorKind.OperationTimeout : ErrorKind.ConnectionError,
            $"The directory server {endpoint.Uri} cannot be reached: {reason}. Start the stack's auth profile (the ldap service), or give the right -Server.",
            endpoint.Uri, inner);

    public static DatamancyException AuthenticationFailed(DirectoryEndpoint endpoint, string bindDn, Exception? inner = null) =>
        new(ErrorIds.DirectoryAuthenticationFailed, ErrorKind.PermissionDenied,
            $"The directory server {endpoint.Uri} refused the credentials of '{bindDn}' (wrong DN or password). Without -Credential the module binds as the admin DN with LDAP_ADMIN_PASSWORD from the stack's .env; check that it matches the password the directory was created with, or give -Credential.",
            endpoint.Uri, inner);

    public static DatamancyException TlsFailed(DirectoryEndpoint endpoint, Exception? inner = null, bool noStartTls = false) =>
        new(ErrorIds.DirectoryTlsFailed, ErrorKind.ConnectionError,
            noStartTls
                ? $"TLS with the directory server {endpoint.Uri} failed: the server does not offer StartTLS. Configure TLS on it, or use ldaps://."
                : $"TLS with the directory server {endpoint.Uri} failed: its certificate is not trusted or does not name '{endpoint.Host}'. Give the CA that signed the server's certificate with -CaCertificate, and address the server by a name or address the certificate names.",
            endpoint.Uri, inner);

    /// <summary>Maps a failure of an operation on <paramref name="target"/> (a DN) described by <paramref name="action"/>.</summary>
    public static DatamancyException From(Exception exception, DirectoryEndpoint endpoint, string action, string target)
    {
        switch (exception)
        {
            case LdapException { ErrorCode: InvalidCredentials }:
                return AuthenticationFailed(endpoint, target, exception);
            case LdapException { ErrorCode: ServerDown or ConnectError } ldap:
                return Unreachable(endpoint, ldap.Message, exception);
            case LdapException { ErrorCode: Timeout } ldap:
                return Unreachable(endpoint, ldap.Message, exception, timedOut: true);
            case DirectoryOperationException { Response: { } response }:
                return response.ResultCode switch
                {
                    ResultCode.InsufficientAccessRights => new DatamancyException(ErrorIds.DirectoryAccessDenied, ErrorKind.PermissionDenied,
                        $"The directory server {endpoint.Uri} does not let the bound user {action} ('{target}'): insufficient access rights. Bind as the directory admin (omit -Credential) or as a user the directory's ACLs allow.",
                        target, exception),
                    ResultCode.NoSuchObject => new DatamancyException(ErrorIds.DirectoryError, ErrorKind.ObjectNotFound,
                        $"Could not {action} on {endpoint.Uri}: '{response.MatchedDN}' is the closest existing entry to '{target}'. Load the directory bootstrap (configs/ldap/bootstrap) or fix the DNs in authelia/configuration.yml.",
                        target, exception),
                    _ => Generic(endpoint, action, target, $"{response.ResultCode}: {response.ErrorMessage}", exception),
                };
            case DirectoryException directory:
                return Generic(endpoint, action, target, directory.Message, exception);
            default:
                return Generic(endpoint, action, target, exception.Message, exception);
        }
    }

    private static DatamancyException Generic(DirectoryEndpoint endpoint, string action, string target, string reason, Exception inner) =>
        new(ErrorIds.DirectoryError, ErrorKind.InvalidOperation, $"Could not {action} '{target}' on {endpoint.Uri}: {reason}.", target, inner);
}
