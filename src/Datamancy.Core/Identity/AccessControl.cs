using System.Text.RegularExpressions;
using Datamancy.Yaml;

namespace Datamancy.Identity;

/// <summary>Authelia's access_control: a default policy and rules, first match wins.</summary>
public sealed record AccessControl(string DefaultPolicy, IReadOnlyList<AccessRule> Rules)
{
    /// <summary>The groups the rules name as subjects (group:NAME), in the rules' order: the stack's roles.</summary>
    public IReadOnlyList<string> GroupNames =>
        Rules.SelectMany(r => r.Subjects.SelectMany(s => s))
            .Where(s => s.StartsWith(AccessRule.GroupPrefix, StringComparison.Ordinal))
            .Select(s => s[AccessRule.GroupPrefix.Length..])
            .Distinct(StringComparer.Ordinal)
            .ToList();
}

/// <summary>
/// One access_control rule. Subjects are a list of lists: the outer list is OR, each inner list AND,
/// each item <c>user:NAME</c>, <c>group:NAME</c> or <c>oauth2:client:ID</c>.
/// </summary>
public sealed record AccessRule(
    int Position,
    IReadOnlyList<string> Domains,
    IReadOnlyList<Regex> DomainRegexes,
    string Policy,
    IReadOnlyList<IReadOnlyList<string>> Subjects,
    IReadOnlyList<string> Networks,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Methods,
    bool HasQuery,
    SourceMark Mark)
{
    public const string UserPrefix = "user:";
    public const string GroupPrefix = "group:";

    /// <summary>Conditions about the request rather than the user: such a rule matches only some requests.</summary>
    public bool IsConditional => Networks.Count > 0 || Resources.Count > 0 || Methods.Count > 0 || HasQuery;

    /// <summary>The request conditions in words, such as "networks internal; methods GET, HEAD".</summary>
    public string DescribeConditions()
    {
        var parts = new List<string>();
        if (Networks.Count > 0)
        {
            parts.Add($"networks {string.Join(", ", Networks)}");
        }

        if (Resources.Count > 0)
        {
            parts.Add($"resources {string.Join(", ", Resources)}");
        }

        if (Methods.Count > 0)
        {
            parts.Add($"methods {string.Join(", ", Methods)}");
        }

        if (HasQuery)
        {
            parts.Add("query conditions");
        }

        return string.Join("; ", parts);
    }
}

/// <summary>The policies Authelia knows, weakest requirement last.</summary>
public static class AccessPolicies
{
    public const string Deny = "deny";
    public const string Bypass = "bypass";
    public const string OneFactor = "one_factor";
    public const string TwoFactor = "two_factor";

    public static readonly IReadOnlyList<string> All = [Deny, Bypass, OneFactor, TwoFactor];
}
