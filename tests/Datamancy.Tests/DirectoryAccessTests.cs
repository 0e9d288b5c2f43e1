using Datamancy.Errors;
using Datamancy.Identity;

namespace Datamancy.Tests;

/// <summary>Authelia's access_control semantics on a small configuration.</summary>
public sealed class DirectoryAccessTests
{
    private const string Config = """
        authentication_backend:
          ldap:
            base_dn: 'dc=example,dc=com'
            additional_users_dn: 'ou=users'
            additional_groups_dn: 'ou=teams'
            attributes:
              username: 'sAMAccountName'
        access_control:
          default_policy: 'deny'
          rules:
            - domain: 'public.example.com'
              policy: 'bypass'
            - domain: '*.internal.example.com'
              policy: 'two_factor'
              subject:
                - ['group:dev', 'group:oncall']
                - 'user:root'
            - domain: 'app.example.com'
              policy: 'bypass'
              resources: ['^/api/health$']
              methods: ['get']
            - domain: 'app.example.com'
              policy: 'one_factor'
              subject: 'group:viewer'
            - domain: 'App.Example.com'
              policy: 'two_factor'
            - domain: '{user}.home.example.com'
              policy: 'one_factor'
            - domain_regex: '^(?P<Group>\w+)\.team\.example\.com$'
              policy: 'one_factor'
        """;

    private static readonly AccessControl Access = AutheliaConfig.Parse("/stack/authelia/configuration.yml", Config).AccessControl;

    private static AccessDecision Evaluate(string host, string user, params string[] groups) => AccessEvaluator.Evaluate(Access, host, user, groups);

    [Fact]
    public void The_first_matching_rule_wins()
    {
        var viewer = Evaluate("app.example.com", "ann", "viewer");
        Assert.Equal(AccessPolicies.OneFactor, viewer.Policy);
        Assert.Equal(4, viewer.Rule!.Position);
        var other = Evaluate("APP.example.com", "bob", "ops");
        Assert.Equal(AccessPolicies.TwoFactor, other.Policy);
        Assert.Equal(5, other.Rule!.Position);
    }

    [Fact]
    public void Subjects_are_an_or_of_ands()
    {
        Assert.Equal(AccessPolicies.Deny, Evaluate("db.internal.example.com", "ann", "dev").Policy);
        Assert.Equal(AccessPolicies.Deny, Evaluate("db.internal.example.com", "ann", "oncall").Policy);
        Assert.Equal(AccessPolicies.TwoFactor, Evaluate("db.internal.example.com", "ann", "dev", "oncall").Policy);
        Assert.Equal(AccessPolicies.TwoFactor, Evaluate("db.internal.example.com", "root").Policy);
        Assert.Equal(AccessPolicies.Deny, Evaluate("db.internal.example.com", "Root").Policy);
        Assert.Equal(AccessPolicies.Deny, Evaluate("db.internal.example.com", "ann", "Dev", "oncall").Policy);
    }

    [Theory]
    [InlineData("db.internal.example.com", AccessPolicies.TwoFactor)]
    [InlineData("a.b.internal.example.com", AccessPolicies.TwoFactor)]
    [InlineData("internal.example.com", AccessPolicies.Deny)]
    [InlineData("evilinternal.example.com", AccessPolicies.Deny)]
    public void Wildcard_domains_match_every_subdomain_but_not_the_domain(string host, string policy) =>
        Assert.Equal(policy, Evaluate(host, "root").Policy);

    [Fact]
    public void The_default_policy_applies_when_nothing_matches()
    {
        var decision = Evaluate("nothing.example.org", "root", "dev");
        Assert.Equal(AccessPolicies.Deny, decision.Policy);
        Assert.Null(decision.Rule);
        Assert.Equal(AccessPolicies.Bypass, Evaluate("public.example.com", "anyone").Policy);
    }

    [Fact]
    public void Rules_with_request_conditions_are_reported_not_ignored_or_applied()
    {
        var decision = Evaluate("app.example.com", "ann", "viewer");
        var conditional = Assert.Single(decision.ConditionalRules);
        Assert.Equal(3, conditional.Position);
        Assert.Equal(AccessPolicies.Bypass, conditional.Policy);
        Assert.Equal("resources ^/api/health$; methods GET", conditional.DescribeConditions());
    }

    [Fact]
    public void User_and_group_placeholders_in_domains_match_the_subject()
    {
        Assert.Equal(AccessPolicies.OneFactor, Evaluate("ann.home.example.com", "ann").Policy);
        Assert.Equal(AccessPolicies.Deny, Evaluate("ann.home.example.com", "bob").Policy);
        Assert.Equal(AccessPolicies.OneFactor, Evaluate("dev.team.example.com", "ann", "dev").Policy);
        Assert.Equal(AccessPolicies.Deny, Evaluate("dev.team.example.com", "ann", "ops").Policy);
    }

    [Fact]
    public void The_ldap_layout_comes_from_the_backend_section()
    {
        var layout = AutheliaConfig.Parse("/stack/authelia/configuration.yml", Config).Layout;
        Assert.Equal("dc=example,dc=com", layout.BaseDn);
        Assert.Equal("ou=users,dc=example,dc=com", layout.UsersDn);
        Assert.Equal("ou=teams,dc=example,dc=com", layout.GroupsDn);
        Assert.Equal("sAMAccountName", layout.UserNameAttribute);
        Assert.Equal("mail", layout.MailAttribute);
        Assert.Equal("cn", layout.GroupNameAttribute);
    }

    [Fact]
    public void An_unknown_policy_is_refused_with_its_position()
    {
        var text = "authentication_backend:\n  ldap:\n    base_dn: 'dc=x'\naccess_control:\n  rules:\n    - domain: 'a.x'\n      policy: 'one-factor'\n";
        var error = Assert.Throws<DatamancyException>(() => AutheliaConfig.Parse("/s/authelia/configuration.yml", text));
        Assert.Equal(ErrorIds.InvalidValue, error.ErrorId);
        Assert.Contains("configuration.yml:7:15", error.Message);
    }

    [Fact]
    public void A_configuration_without_ldap_backend_is_refused()
    {
        var error = Assert.Throws<DatamancyException>(() => AutheliaConfig.Parse("/s/authelia/configuration.yml", "authentication_backend:\n  file:\n    path: /x\n"));
        Assert.Equal(ErrorIds.AutheliaConfigMissing, error.ErrorId);
    }

    [Fact]
    public void No_access_control_section_means_deny_everything()
    {
        var config = AutheliaConfig.Parse("/s/authelia/configuration.yml", "authentication_backend:\n  ldap:\n    base_dn: 'dc=x'\n");
        Assert.Equal(AccessPolicies.Deny, AccessEvaluator.Evaluate(config.AccessControl, "a.x", "root", ["admin"]).Policy);
    }
}
