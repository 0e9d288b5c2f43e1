using Datamancy.Engine;

namespace Datamancy.Security.Secrets;

/// <summary>
/// A server that keeps its own copy of a secret (a MariaDB user, a PostgreSQL role, the LDAP
/// admin), changed through commands run in its container. Implementations pass secrets through
/// standard input or the exec's environment only, and never put one in an exception.
/// </summary>
public interface ISecretStore
{
    /// <summary>Logs in with <paramref name="auth"/> and checks the account exists; throws SecretTargetUnavailable when not.</summary>
    Task CheckAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, CancellationToken cancellationToken);

    /// <summary>Sets the account's password to <paramref name="value"/>; throws SecretRotationFailed when it cannot.</summary>
    Task SetAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, string value, CancellationToken cancellationToken);

    /// <summary>True when the server accepts <paramref name="value"/> for the account, false when it refuses it, null when this cannot be told.</summary>
    Task<bool?> AcceptsAsync(IContainerExecutor exec, string containerId, SecretTarget target, string value, CancellationToken cancellationToken);
}
