namespace Datamancy;

/// <summary>What one user (or set of groups) gets on one hostname of the stack's Caddyfile.</summary>
public sealed class AccessInfo
{
    public AccessInfo(string user, string[] groups, string hostname, string service, bool isProtected, string policy,
        string rule, string[] conditions, string stackPath)
    {
        User = user;
        Groups = new(groups);
        Hostname = hostname;
        Service = service;
        Protected = isProtected;
        Policy = policy;
        Rule = rule;
        Conditions = new(conditions, "; ");
        StackPath = stackPath;
    }

    /// <summary>The user name, or empty when the access was computed for groups alone.</summary>
    public string User { get; }

    public TextList Groups { get; }

    public string Hostname { get; }

    /// <summary>The service the Caddyfile routes the hostname to.</summary>
    public string Service { get; }

    /// <summary>True when Caddy asks Authelia (forward_auth) before serving the hostname.</summary>
    public bool Protected { get; }

    /// <summary>Authelia's decision: deny, bypass, one_factor or two_factor.</summary>
    public string Policy { get; }

    /// <summary>True when the user reaches the site: it is not behind forward_auth, or the policy is not deny.</summary>
    public bool Allowed => !Protected || Policy != "deny";

    /// <summary>The deciding rule as "rule N (file:line:column)", or "default_policy".</summary>
    public string Rule { get; }

    /// <summary>
    /// Why Allowed is what it is: the deciding Rule, or, for a hostname that Caddy serves without
    /// forward_auth, that Authelia is never asked, so its Policy (often deny) does not apply.
    /// </summary>
    public string Reason => Protected ? Rule : "not behind forward_auth: Authelia is not asked";

    /// <summary>Earlier rules that apply only to some requests, as "rule N: policy when conditions".</summary>
    public TextList Conditions { get; }

    public string StackPath { get; }
}
