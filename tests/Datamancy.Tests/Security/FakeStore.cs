using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Security.Secrets;

namespace Datamancy.Tests.Security;

/// <summary>A server that keeps passwords in memory, logs in like a real one and fails on demand, for the rotator's ordering and rollback.</summary>
internal sealed class FakeStore : ISecretStore
{
    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal);

    /// <summary>Accounts whose next change fails (once each).</summary>
    public HashSet<string> FailNextSet { get; } = new(StringComparer.Ordinal);

    /// <summary>Accounts whose every change fails.</summary>
    public HashSet<string> FailEverySet { get; } = new(StringComparer.Ordinal);

    public List<string> Log { get; } = [];

    public Task CheckAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, CancellationToken cancellationToken)
    {
        Log.Add($"check {target.Account}");
        return LoggedIn(target, auth)
            ? Task.CompletedTask
            : throw new DatamancyException(ErrorIds.SecretTargetUnavailable, ErrorKind.InvalidData, $"{target}: the root password does not log in.");
    }

    public Task SetAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, string value, CancellationToken cancellationToken)
    {
        Log.Add($"set {target.Account}");
        if (!LoggedIn(target, auth) || FailNextSet.Remove(target.Account) || FailEverySet.Contains(target.Account))
        {
            throw new DatamancyException(ErrorIds.SecretRotationFailed, ErrorKind.InvalidOperation, $"{target}: the server said no.");
        }

        Passwords[target.Account] = value;
        return Task.CompletedTask;
    }

    public Task<bool?> AcceptsAsync(IContainerExecutor exec, string containerId, SecretTarget target, string value, CancellationToken cancellationToken) =>
        Task.FromResult<bool?>(Passwords.GetValueOrDefault(target.Account) == value);

    // MariaDB app users log in as root; PostgreSQL roles as themselves.
    private bool LoggedIn(SecretTarget target, string? auth) =>
        auth is not null && Passwords.GetValueOrDefault(target.AuthVariable == "MARIADB_ROOT_PASSWORD" ? "root" : target.Account) == auth;
}

/// <summary>The stores use their own executor; the rotator only passes it through.</summary>
internal sealed class NoExecutor : IContainerExecutor
{
    public Task<ExecResult> RunAsync(string containerId, IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment,
        string? standardInput, CancellationToken cancellationToken) => throw new InvalidOperationException("The fake store runs no command.");
}
