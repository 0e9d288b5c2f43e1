using System.Text;
using Datamancy.Engine;

namespace Datamancy.Security.Secrets;

/// <summary>
/// MariaDB (and MySQL) users, changed with the mariadb client inside the container: it logs in as
/// root with MYSQL_PWD in the exec's environment, reads the SQL from standard input, and sets the
/// mysql_native_password hash computed here, for every host the user is defined for.
/// </summary>
public sealed class MariaDbStore : ISecretStore
{
    // The image has mariadb (11.x) or mysql (MySQL, older MariaDB): whichever exists.
    private static readonly string[] Client = ["sh", "-c", "exec \"$(command -v mariadb || command -v mysql)\" \"$@\"", "mariadb"];

    public async Task CheckAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, CancellationToken cancellationToken) =>
        await HostsAsync(exec, containerId, target, auth, cancellationToken).ConfigureAwait(false);

    public async Task SetAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, string value, CancellationToken cancellationToken)
    {
        var hosts = await HostsAsync(exec, containerId, target, auth, cancellationToken).ConfigureAwait(false);
        var hash = PasswordHashes.MySqlNative(value);
        var sql = new StringBuilder();
        foreach (var host in hosts)
        {
            sql.Append($"ALTER USER {Literal(target.Account)}@{Literal(host)} IDENTIFIED BY PASSWORD {Literal(hash)};\n");
        }

        var result = await exec.RunAsync(containerId, [.. Client, "-uroot", "--batch"], Login(auth), sql.ToString(), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw StoreErrors.Failed(target, "the password could not be changed", result, auth, value);
        }
    }

    public async Task<bool?> AcceptsAsync(IContainerExecutor exec, string containerId, SecretTarget target, string value, CancellationToken cancellationToken)
    {
        var result = await exec.RunAsync(containerId,
            [.. Client, "--protocol=TCP", "-h", "127.0.0.1", "-u", target.Account, "--batch", "-e", "SELECT 1"], Login(value), null, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? true : result.StandardError.Contains("Access denied", StringComparison.Ordinal) ? false : null;
    }

    private static async Task<IReadOnlyList<string>> HostsAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, CancellationToken cancellationToken)
    {
        if (auth is null)
        {
            throw StoreErrors.Unavailable(target, $"no root password to log in with: the service sets no {target.AuthKey ?? "MARIADB_ROOT_PASSWORD"}", null);
        }

        var result = await exec.RunAsync(containerId, [.. Client, "-uroot", "--batch", "--skip-column-names"], Login(auth),
            $"SELECT Host FROM mysql.user WHERE User = {Literal(target.Account)};\n", cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var denied = result.StandardError.Contains("Access denied", StringComparison.Ordinal);
            throw StoreErrors.Unavailable(target, denied
                ? $"the root password in {target.AuthVariable ?? target.AuthKey} does not log in, so .env and the database already disagree: restore the working value in .env first"
                : "the mariadb client could not log in", result, auth);
        }

        var hosts = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return hosts.Length > 0 ? hosts : throw StoreErrors.Unavailable(target, $"the server has no user '{target.Account}'", null);
    }

    private static Dictionary<string, string> Login(string? password) => new(StringComparer.Ordinal) { ["MYSQL_PWD"] = password ?? string.Empty };

    private static string Literal(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "''") + "'";
}
