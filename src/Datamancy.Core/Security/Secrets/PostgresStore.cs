using Datamancy.Engine;

namespace Datamancy.Security.Secrets;

/// <summary>
/// PostgreSQL roles, changed with psql inside the container over its Unix socket, logging in as
/// the role itself (PGPASSWORD in the exec's environment when the socket asks for one). The new
/// password travels as a SCRAM-SHA-256 verifier computed here, never as text the server could log.
/// </summary>
public sealed class PostgresStore : ISecretStore
{
    public async Task CheckAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, CancellationToken cancellationToken)
    {
        var result = await exec.RunAsync(containerId, Psql(target), Login(auth), "SELECT 1;\n", cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw StoreErrors.Unavailable(target, result.StandardError.Contains("password authentication failed", StringComparison.Ordinal)
                ? $"the password in {target.AuthVariable ?? target.AuthKey} does not log in, so .env and the database already disagree: restore the working value in .env first"
                : "psql could not log in over the container's Unix socket", result, auth);
        }
    }

    public async Task SetAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, string value, CancellationToken cancellationToken)
    {
        var sql = $"ALTER ROLE \"{target.Account.Replace("\"", "\"\"")}\" PASSWORD '{PasswordHashes.ScramSha256(value)}';\n";
        var result = await exec.RunAsync(containerId, Psql(target), Login(auth), sql, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw StoreErrors.Failed(target, "the password could not be changed", result, auth, value);
        }
    }

    public async Task<bool?> AcceptsAsync(IContainerExecutor exec, string containerId, SecretTarget target, string value, CancellationToken cancellationToken)
    {
        var result = await exec.RunAsync(containerId,
            ["psql", "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-U", target.Account, "-d", "postgres", "-c", "SELECT 1"], Login(value), null, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? true : result.StandardError.Contains("password authentication failed", StringComparison.Ordinal) ? false : null;
    }

    private static string[] Psql(SecretTarget target) => ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-U", target.Account, "-d", "postgres"];

    private static Dictionary<string, string> Login(string? password) => new(StringComparer.Ordinal) { ["PGPASSWORD"] = password ?? string.Empty };
}
