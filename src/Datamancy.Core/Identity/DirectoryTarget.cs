using System.Security;
using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Identity;

/// <summary>
/// Everything needed to open a directory session: the server, who binds and with which password,
/// and how TLS is checked. Without a credential the admin DN binds with LDAP_ADMIN_PASSWORD as the
/// stack's ldap service receives it (from .env, through the compose model).
/// </summary>
public sealed class DirectoryTarget
{
    public const string AdminPasswordVariable = "LDAP_ADMIN_PASSWORD";

    public required DirectoryEndpoint Endpoint { get; init; }

    public required string BindDn { get; init; }

    public required SecureString Password { get; init; }

    /// <summary>A CA certificate file (PEM) or a folder of them to validate the server's certificate; null for the system's.</summary>
    public string? CaCertificate { get; init; }

    /// <summary>StartTLS even on loopback.</summary>
    public bool ForceStartTls { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Resolves the target. <paramref name="userName"/> is a DN (it holds '='), or a user name of the
    /// people OU; null means the stack's admin DN and password.
    /// </summary>
    public static DirectoryTarget Resolve(StackDefinition stack, DirectoryLayout layout, string? server, string? userName, SecureString? password,
        string? caCertificate, bool forceStartTls)
    {
        var endpoint = server is null ? DirectoryEndpoint.FromStack(stack) : DirectoryEndpoint.Parse(server);
        if (caCertificate is not null && !File.Exists(caCertificate) && !Directory.Exists(caCertificate))
        {
            throw new DatamancyException(ErrorIds.CaCertificateNotFound, ErrorKind.ObjectNotFound,
                $"The CA certificate '{caCertificate}' does not exist; give the PEM file of the CA that signed the directory server's certificate.", caCertificate);
        }

        string bindDn;
        if (userName is null)
        {
            bindDn = AdminDn(stack, layout);
            password = AdminPassword(stack);
        }
        else
        {
            bindDn = userName.Contains('=')
                ? userName
                : $"{layout.UserNameAttribute}={LdapEscaping.DnValue(userName)},{layout.UsersDn}";
        }

        return new DirectoryTarget
        {
            Endpoint = endpoint,
            BindDn = bindDn,
            Password = password ?? new SecureString(),
            CaCertificate = caCertificate,
            ForceStartTls = forceStartTls,
        };
    }

    /// <summary>
    /// The directory's admin DN: cn=LDAP_ADMIN_USERNAME,LDAP_ROOT as the ldap service's image builds
    /// it, else Authelia's bind user, else cn=admin under the base DN. Bootstrap groups hold it as
    /// their placeholder member.
    /// </summary>
    public static string AdminDn(StackDefinition stack, DirectoryLayout layout)
    {
        var environment = stack.FindService(DirectoryEndpoint.ServiceName)?.Environment;
        if (environment is not null
            && environment.TryGetValue("LDAP_ADMIN_USERNAME", out var admin) && !string.IsNullOrEmpty(admin)
            && environment.TryGetValue("LDAP_ROOT", out var root) && !string.IsNullOrEmpty(root))
        {
            return $"cn={LdapEscaping.DnValue(admin)},{root}";
        }

        return layout.BindUser is { Length: > 0 } user ? user : $"cn=admin,{layout.BaseDn}";
    }

    private static SecureString AdminPassword(StackDefinition stack)
    {
        var environment = stack.FindService(DirectoryEndpoint.ServiceName)?.Environment;
        string? value = null;
        if (environment is not null && environment.TryGetValue(AdminPasswordVariable, out var fromCompose))
        {
            value = fromCompose ?? Environment.GetEnvironmentVariable(AdminPasswordVariable);
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new DatamancyException(ErrorIds.DirectoryPasswordMissing, ErrorKind.ObjectNotFound,
                $"The stack gives its ldap service no {AdminPasswordVariable} (see {stack.EnvFile ?? stack.Directory + "/.env"}), so the module cannot bind as the directory admin. Set it in .env (New-DatamancyStack -Force generates missing secrets) or give -Credential.",
                stack.Directory);
        }

        var secure = new SecureString();
        foreach (var c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
