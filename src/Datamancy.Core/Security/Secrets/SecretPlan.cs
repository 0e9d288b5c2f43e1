namespace Datamancy.Security.Secrets;

/// <summary>What rotating one .env variable involves: who reads it, where else it is stored, and whether rotating it would lose data.</summary>
/// <param name="Services">The services whose compose definition uses the variable.</param>
/// <param name="Targets">The databases and directories that keep their own copy of the value.</param>
/// <param name="PinnedReason">Why a new value would break something that cannot be changed from here (null when rotation is safe).</param>
public sealed record SecretPlan(string Name, IReadOnlyList<string> Services, IReadOnlyList<SecretTarget> Targets, string? PinnedReason);

/// <summary>
/// One place besides .env where a secret lives: an account of a server run by a service.
/// AuthKey names the service's environment key whose value logs in to change it (MariaDB's root
/// password); AuthVariable is the .env variable behind that key, when there is one.
/// </summary>
public sealed record SecretTarget(string Service, ServerKind Kind, string Account, string? AuthKey, string? AuthVariable)
{
    /// <summary>"database:mariadb" or "directory:ldap", for SecretUpdate.UpdatedIn.</summary>
    public string Place => $"{(Kind == ServerKind.Ldap ? "directory" : "database")}:{Service}";

    public override string ToString() => Kind switch
    {
        ServerKind.MariaDb => $"{Service} (MariaDB user '{Account}')",
        ServerKind.Postgres => $"{Service} (PostgreSQL role '{Account}')",
        ServerKind.Ldap => $"{Service} (LDAP admin {Account})",
        _ => Service,
    };
}
