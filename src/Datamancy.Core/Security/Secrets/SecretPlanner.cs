using System.Text.RegularExpressions;
using Datamancy.Stack.Model;
using Datamancy.Stack;

namespace Datamancy.Security.Secrets;

/// <summary>
/// Works out, from the compose file alone, what rotating each variable involves: the services that
/// read it, and the MariaDB users, PostgreSQL roles and LDAP admin whose stored password it is.
/// </summary>
public static partial class SecretPlanner
{
    private static readonly string[] MariaDbRootKeys = ["MARIADB_ROOT_PASSWORD", "MYSQL_ROOT_PASSWORD"];
    private static readonly string[] MariaDbUserKeys = ["MARIADB_PASSWORD", "MYSQL_PASSWORD"];

    public static SecretPlan Plan(StackDefinition stack, RawCompose raw, string name)
    {
        var targets = new List<SecretTarget>();
        string? pinned = SecretCatalog.PinnedReason(name);
        foreach (var entry in raw.Environment.Where(e => RawCompose.References(e.Raw).Contains(name)))
        {
            if (stack.FindService(entry.Service) is not { } service)
            {
                continue;
            }

            switch (ServiceKinds.Of(service))
            {
                case ServerKind.MariaDb when MariaDbTarget(stack, raw, service, entry, name) is { } target:
                    targets.Add(target);
                    break;
                case ServerKind.Postgres when entry.Key == "POSTGRES_PASSWORD":
                    targets.Add(new SecretTarget(service.Name, ServerKind.Postgres, Env(service, "POSTGRES_USER") ?? "postgres", entry.Key, name));
                    break;
                case ServerKind.Ldap when entry.Key == "LDAP_ADMIN_PASSWORD":
                    targets.Add(new SecretTarget(service.Name, ServerKind.Ldap, LdapAdminDn(service) ?? string.Empty, null, null));
                    break;
                case ServerKind.Mongo:
                    pinned ??= $"MongoDB ({service.Name}) copies it into its database at first start and Datamancy cannot change it there: change it with db.changeUserPassword() in mongosh first";
                    break;
            }

            // Nextcloud writes the database password into config/config.php at installation and reads it from there afterwards.
            if (ServiceKinds.Repository(service.Image).Equals("nextcloud", StringComparison.OrdinalIgnoreCase) && entry.Key is "MYSQL_PASSWORD" or "POSTGRES_PASSWORD")
            {
                pinned ??= $"{service.Name} keeps its own copy in config/config.php (dbpassword): update it there ('occ config:system:set dbpassword') in the same breath";
            }
        }

        return new SecretPlan(name, raw.ServicesUsing(name), targets.DistinctBy(t => (t.Service, t.Account)).ToList(), pinned);
    }

    private static SecretTarget? MariaDbTarget(StackDefinition stack, RawCompose raw, ServiceDefinition service, RawEnvironmentEntry entry, string name)
    {
        var rootKey = MariaDbRootKeys.FirstOrDefault(service.Environment.ContainsKey);
        var rootVariable = rootKey is null ? null : SingleReference(raw, service.Name, rootKey);
        string? account;
        if (MariaDbRootKeys.Contains(entry.Key))
        {
            account = "root";
        }
        else if (MariaDbUserKeys.Contains(entry.Key))
        {
            account = Env(service, "MARIADB_USER") ?? Env(service, "MYSQL_USER");
        }
        else if (SecretNames.IsSecretKey(entry.Key))
        {
            account = AppUser(stack, raw, service, name) ?? FromKey(entry.Key);
        }
        else
        {
            return null;
        }

        return account is null ? null : new SecretTarget(service.Name, ServerKind.MariaDb, account, rootKey, rootVariable);
    }

    // The user an app logs in with: the user part of its database URL, or the *_USER key beside the *_PASSWORD key that takes the variable.
    private static string? AppUser(StackDefinition stack, RawCompose raw, ServiceDefinition server, string name)
    {
        foreach (var entry in raw.Environment.Where(e => e.Service != server.Name && RawCompose.References(e.Raw).Contains(name)))
        {
            if (UrlUser().Match(entry.Raw) is { Success: true } url && url.Groups[2].Value.Contains(name, StringComparison.Ordinal))
            {
                return url.Groups[1].Value;
            }

            var app = stack.FindService(entry.Service);
            foreach (var userKey in new[] { entry.Key.Replace("PASSWORD", "USER"), entry.Key.Replace("PASS", "USER"), entry.Key.Replace("PASSWORD", "USERNAME") })
            {
                if (userKey != entry.Key && app is not null && Env(app, userKey) is { } user)
                {
                    return user;
                }
            }
        }

        return null;
    }

    // NEXTCLOUD_DB_PASSWORD -> nextcloud: the bundled init script's naming.
    private static string? FromKey(string key)
    {
        var stem = DbPasswordSuffix().Replace(key, string.Empty);
        return stem.Length > 0 && stem != key ? stem.ToLowerInvariant() : null;
    }

    private static string? SingleReference(RawCompose raw, string service, string key) =>
        raw.Environment.FirstOrDefault(e => e.Service == service && e.Key == key) is { } entry && RawCompose.References(entry.Raw) is { Count: 1 } refs
            ? refs.First()
            : null;

    // Bitnami: cn=<LDAP_ADMIN_USERNAME>,<LDAP_ROOT>; osixia: cn=admin,<dc=... from LDAP_DOMAIN>.
    private static string? LdapAdminDn(ServiceDefinition service)
    {
        var user = Env(service, "LDAP_ADMIN_USERNAME") ?? "admin";
        var root = Env(service, "LDAP_ROOT") ?? Env(service, "LDAP_BASE_DN")
            ?? (Env(service, "LDAP_DOMAIN") is { } domain ? string.Join(",", domain.Split('.').Select(p => "dc=" + p)) : null);
        return root is null ? null : $"cn={user},{root}";
    }

    private static string? Env(ServiceDefinition service, string key) =>
        service.Environment.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    [GeneratedRegex(@"://([^:/@\s]+):([^@]*)@")]
    private static partial Regex UrlUser();

    [GeneratedRegex("_(DB_)?(PASSWORD|PASS)$")]
    private static partial Regex DbPasswordSuffix();
}
