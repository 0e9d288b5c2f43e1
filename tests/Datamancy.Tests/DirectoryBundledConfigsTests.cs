using System.Text.RegularExpressions;
using Datamancy.Identity;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Tests;

/// <summary>The bundled Authelia rules give each role what the stack record says, on every Caddyfile hostname.</summary>
public sealed class DirectoryBundledConfigsTests : IDisposable
{
    private static readonly string Configs = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../configs"));

    // The intent, written out independently of configuration.yml: admin-only, operator and viewer sites.
    private static readonly string[] AdminOnly = ["adminer", "mongo-express", "portainer"];
    private static readonly string[] OperatorUp = ["prometheus", "alertmanager", "kopia", "localai"];
    private static readonly string[] ViewerUp =
        ["grafana", "mkdocs", "librechat", "nextcloud", "vaultwarden", "paperless", "stirling-pdf", "planka", "outline", "jellyfin", "homeassistant"];

    private readonly string _target = Path.Combine(Path.GetTempPath(), "dm-dir-bundled-" + Guid.NewGuid().ToString("N"));
    private readonly StackDefinition _stack;
    private readonly AutheliaConfig _config;

    public DirectoryBundledConfigsTests()
    {
        var creator = new StackCreator(Configs);
        creator.Create(creator.Plan(_target, null, false));
        _stack = new StackLoader(_ => null).Load(_target);
        _config = AutheliaConfig.Load(_target);
    }

    public void Dispose() => Directory.Delete(_target, recursive: true);

    [Theory]
    [InlineData("viewer")]
    [InlineData("operator")]
    [InlineData("admin")]
    [InlineData("nobody")]
    public void Each_role_reaches_exactly_its_sites(string role)
    {
        var groups = role == "nobody" ? Array.Empty<string>() : [role];
        var report = AccessReport.For(_stack, _config.AccessControl, "someone", groups, _ => true).ToList();
        Assert.Equal(_stack.Routes.Select(r => r.Hostname).Distinct().Count(), report.Count);
        foreach (var access in report)
        {
            var service = access.Hostname.Split('.')[0];
            if (service == "authelia")
            {
                Assert.False(access.Protected);
                Assert.True(access.Allowed);
                continue;
            }

            Assert.True(access.Protected, access.Hostname);
            var allowed = role switch
            {
                "admin" => AdminOnly.Concat(OperatorUp).Concat(ViewerUp).Contains(service),
                "operator" => OperatorUp.Concat(ViewerUp).Contains(service),
                "viewer" => ViewerUp.Contains(service),
                _ => false,
            };
            Assert.True(allowed == access.Allowed, $"{role} on {access.Hostname}: expected allowed={allowed}, got {access.Policy} by {access.Rule}");
            Assert.Equal(allowed ? AccessPolicies.OneFactor : AccessPolicies.Deny, access.Policy);
            Assert.Empty(access.Conditions);
        }
    }

    [Fact]
    public void Every_protected_hostname_is_named_by_a_rule()
    {
        foreach (var route in _stack.Routes.Where(r => r.ForwardAuth))
        {
            Assert.Contains(_config.AccessControl.Rules, rule => AccessEvaluator.MatchesDomain(rule, route.Hostname, "x", []));
        }
    }

    [Fact]
    public void The_layout_matches_the_bootstrap_ldif()
    {
        var ldif = File.ReadAllText(Path.Combine(_target, "ldap/bootstrap/00-tree.ldif"));
        var dns = Regex.Matches(ldif, "^dn: (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.Contains(_config.Layout.BaseDn, dns);
        Assert.Contains(_config.Layout.UsersDn, dns);
        Assert.Contains(_config.Layout.GroupsDn, dns);
        var groups = dns.Where(dn => dn.EndsWith("," + _config.Layout.GroupsDn, StringComparison.Ordinal)).Select(dn => DistinguishedName.TryParse(dn)!.LeadingValue("cn")!).Order().ToList();
        var roles = AutheliaConfig.TryReadRoleNames(_target).Order().ToList();
        Assert.Equal(["admin", "operator", "viewer"], roles);
        Assert.Equal(roles, groups);
        Assert.Contains($"member: {DirectoryTarget.AdminDn(_stack, _config.Layout)}", ldif);
    }

    [Fact]
    public void The_stack_publishes_the_directory_on_loopback_and_gives_the_admin_password()
    {
        var endpoint = DirectoryEndpoint.FromStack(_stack);
        Assert.Equal("ldap://127.0.0.1:389", endpoint.Uri);
        Assert.False(endpoint.NeedsStartTls(forced: false));
        var target = DirectoryTarget.Resolve(_stack, _config.Layout, null, null, null, null, false);
        Assert.Equal("cn=admin,dc=stack,dc=local", target.BindDn);
        var envLine = File.ReadAllLines(Path.Combine(_target, ".env")).Single(l => l.StartsWith("LDAP_ADMIN_PASSWORD=", StringComparison.Ordinal));
        Assert.Equal(envLine["LDAP_ADMIN_PASSWORD=".Length..], Passwords.Reveal(target.Password));
    }
}
