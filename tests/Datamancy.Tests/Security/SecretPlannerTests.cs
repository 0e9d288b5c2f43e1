using Datamancy.Security.Secrets;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Tests.Security;

/// <summary>What rotating each bundled secret involves, worked out from the compose file.</summary>
public sealed class SecretPlannerTests : IDisposable
{
    private static readonly string Configs = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../configs"));

    private readonly string _target = Path.Combine(Path.GetTempPath(), "dm-planner-" + Guid.NewGuid().ToString("N"));
    private readonly StackDefinition _stack;
    private readonly RawCompose _raw;

    public SecretPlannerTests()
    {
        var creator = new StackCreator(Configs);
        creator.Create(creator.Plan(_target, null, false));
        _stack = new StackLoader(_ => null).Load(_target);
        _raw = RawCompose.Read(_stack.ComposeFile);
    }

    public void Dispose() => Directory.Delete(_target, recursive: true);

    [Theory]
    [InlineData("MARIADB_ROOT_PASSWORD", "mariadb (MariaDB user 'root')")]
    [InlineData("VAULTWARDEN_DB_PASSWORD", "mariadb (MariaDB user 'vaultwarden')")]
    [InlineData("NEXTCLOUD_DB_PASSWORD", "mariadb (MariaDB user 'nextcloud')")]
    [InlineData("PAPERLESS_DB_PASSWORD", "paperless-postgres (PostgreSQL role 'paperless')")]
    [InlineData("PLANKA_DB_PASSWORD", "planka-postgres (PostgreSQL role 'planka')")]
    [InlineData("OUTLINE_DB_PASSWORD", "outline-postgres (PostgreSQL role 'outline')")]
    [InlineData("LDAP_ADMIN_PASSWORD", "ldap (LDAP admin cn=admin,dc=stack,dc=local)")]
    public void Database_and_directory_copies_are_found(string name, string target)
    {
        var plan = SecretPlanner.Plan(_stack, _raw, name);
        Assert.Equal(target, Assert.Single(plan.Targets).ToString());
    }

    [Fact]
    public void App_users_log_in_as_root_with_the_root_password_variable()
    {
        var target = Assert.Single(SecretPlanner.Plan(_stack, _raw, "VAULTWARDEN_DB_PASSWORD").Targets);
        Assert.Equal(("MARIADB_ROOT_PASSWORD", "MARIADB_ROOT_PASSWORD"), (target.AuthKey, target.AuthVariable));
        Assert.Equal(["mariadb", "vaultwarden"], SecretPlanner.Plan(_stack, _raw, "VAULTWARDEN_DB_PASSWORD").Services);
        Assert.Equal(["authelia", "ldap", "librechat"], SecretPlanner.Plan(_stack, _raw, "LDAP_ADMIN_PASSWORD").Services);
    }

    [Theory]
    [InlineData("KOPIA_REPOSITORY_PASSWORD", "Kopia")]
    [InlineData("AUTHELIA_STORAGE_ENCRYPTION_KEY", "Authelia")]
    [InlineData("MONGODB_ROOT_PASSWORD", "MongoDB")]
    [InlineData("LIBRECHAT_MONGO_PASSWORD", "MongoDB")]
    [InlineData("NEXTCLOUD_DB_PASSWORD", "config.php")]
    [InlineData("GRAFANA_ADMIN_PASSWORD", "Grafana")]
    public void Secrets_a_new_value_would_break_are_pinned(string name, string why) =>
        Assert.Contains(why, SecretPlanner.Plan(_stack, _raw, name).PinnedReason);

    [Theory]
    [InlineData("BROWSERLESS_TOKEN")]
    [InlineData("REDIS_PASSWORD")]
    [InlineData("AUTHELIA_SESSION_SECRET")]
    public void Environment_only_secrets_have_no_targets_and_are_not_pinned(string name)
    {
        var plan = SecretPlanner.Plan(_stack, _raw, name);
        Assert.Empty(plan.Targets);
        Assert.Null(plan.PinnedReason);
        Assert.NotEmpty(plan.Services);
    }

    [Fact]
    public void Every_bundled_secret_is_a_secret_variable()
    {
        var env = DotEnvFile.Parse(".env", File.ReadAllText(Path.Combine(_target, ".env")), _ => null);
        var secrets = SecretNames.SecretVariables(env.Keys, _raw);
        Assert.Contains("MARIADB_ROOT_PASSWORD", secrets);
        Assert.DoesNotContain("TZ", secrets);
        Assert.DoesNotContain("GRAFANA_ADMIN_USER", secrets);
    }
}
