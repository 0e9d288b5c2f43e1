using Datamancy.Engine;

namespace Datamancy.Security.Secrets;

/// <summary>
/// OpenLDAP's admin (the database's olcRootDN), changed in cn=config over the container's ldapi
/// socket with SASL EXTERNAL, as the image's own scripts do. The new value travels as an {SSHA}
/// hash on standard input; the check binds with it, read from standard input too.
/// </summary>
public sealed class LdapStore : ISecretStore
{
    public async Task CheckAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, CancellationToken cancellationToken) =>
        await DatabaseAsync(exec, containerId, target, cancellationToken).ConfigureAwait(false);

    public async Task SetAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, string value, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(exec, containerId, target, cancellationToken).ConfigureAwait(false);
        var ldif = $"dn: {database}\nchangetype: modify\nreplace: olcRootPW\nolcRootPW: {PasswordHashes.Ssha(value)}\n";
        var result = await exec.RunAsync(containerId, ["ldapmodify", "-Q", "-Y", "EXTERNAL", "-H", "ldapi:///"], null, ldif, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw StoreErrors.Failed(target, "olcRootPW could not be changed in cn=config", result, value);
        }
    }

    public async Task<bool?> AcceptsAsync(IContainerExecutor exec, string containerId, SecretTarget target, string value, CancellationToken cancellationToken)
    {
        var result = await exec.RunAsync(containerId,
            ["sh", "-c", "exec ldapwhoami -x -H \"ldap://127.0.0.1:${LDAP_PORT_NUMBER:-389}\" -D \"$1\" -y /dev/stdin", "ldapwhoami", target.Account],
            null, value, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? true : result.ExitCode == 49 ? false : null;
    }

    // The cn=config entry of the database whose olcRootDN is the admin.
    private static async Task<string> DatabaseAsync(IContainerExecutor exec, string containerId, SecretTarget target, CancellationToken cancellationToken)
    {
        if (target.Account.Length == 0)
        {
            throw StoreErrors.Unavailable(target, "the admin DN is unknown: set LDAP_ROOT (or LDAP_DOMAIN) in the service's environment", null);
        }

        var result = await exec.RunAsync(containerId,
            ["ldapsearch", "-Q", "-LLL", "-Y", "EXTERNAL", "-H", "ldapi:///", "-b", "cn=config", $"(olcRootDN={target.Account})", "dn"],
            null, null, cancellationToken).ConfigureAwait(false);
        var dn = result.StandardOutput.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("dn: ", StringComparison.Ordinal));
        return result.ExitCode == 0 && dn is not null
            ? dn[4..]
            : throw StoreErrors.Unavailable(target, "cn=config could not be read over ldapi:/// with SASL EXTERNAL, or no database has that olcRootDN", result);
    }
}
