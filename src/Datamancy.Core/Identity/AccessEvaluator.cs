namespace Datamancy.Identity;

/// <summary>What access_control decides for one user (or set of groups) on one hostname.</summary>
/// <param name="Policy">The policy of the first unconditional matching rule, else the default policy.</param>
/// <param name="Rule">That rule, or null when the default policy applies.</param>
/// <param name="ConditionalRules">Earlier matching rules that apply only to some requests (networks, resources, methods, query).</param>
public sealed record AccessDecision(string Policy, AccessRule? Rule, IReadOnlyList<AccessRule> ConditionalRules);

/// <summary>
/// Authelia's rule matching for an authenticated subject, as in its internal/authorization package:
/// rules in order, the first whose domain and subjects match wins, else default_policy. Rules that
/// also test the request (networks, resources, methods, query) cannot be decided per hostname: they
/// are reported as conditional and the search goes on for the requests they do not match.
/// </summary>
public static class AccessEvaluator
{
    public static AccessDecision Evaluate(AccessControl access, string hostname, string? user, IReadOnlyCollection<string> groups)
    {
        var host = hostname.ToLowerInvariant();
        var conditional = new List<AccessRule>();
        foreach (var rule in access.Rules)
        {
            if (!MatchesDomain(rule, host, user ?? string.Empty, groups) || !MatchesSubjects(rule, user ?? string.Empty, groups))
            {
                continue;
            }

            if (rule.IsConditional)
            {
                conditional.Add(rule);
                continue;
            }

            return new AccessDecision(rule.Policy, rule, conditional);
        }

        return new AccessDecision(access.DefaultPolicy, null, conditional);
    }

    /// <summary>A rule without domain and domain_regex matches every hostname.</summary>
    public static bool MatchesDomain(AccessRule rule, string host, string user, IReadOnlyCollection<string> groups)
    {
        if (rule.Domains.Count == 0 && rule.DomainRegexes.Count == 0)
        {
            return true;
        }

        return rule.Domains.Any(domain => MatchesDomain(domain, host, user, groups))
            || rule.DomainRegexes.Any(regex => MatchesRegex(regex, host, user, groups));
    }

    /// <summary>Outer list OR, inner list AND; no subjects matches everyone.</summary>
    public static bool MatchesSubjects(AccessRule rule, string user, IReadOnlyCollection<string> groups) =>
        rule.Subjects.Count == 0 || rule.Subjects.Any(all => all.All(subject => MatchesSubject(subject, user, groups)));

    private static bool MatchesSubject(string subject, string user, IReadOnlyCollection<string> groups)
    {
        if (subject.StartsWith(AccessRule.UserPrefix, StringComparison.Ordinal))
        {
            return user.Length > 0 && string.Equals(subject[AccessRule.UserPrefix.Length..], user, StringComparison.Ordinal);
        }

        if (subject.StartsWith(AccessRule.GroupPrefix, StringComparison.Ordinal))
        {
            return groups.Contains(subject[AccessRule.GroupPrefix.Length..], StringComparer.Ordinal);
        }

        // oauth2:client: subjects name an OAuth client, never a person signing in.
        return false;
    }

    private static bool MatchesDomain(string domain, string host, string user, IReadOnlyCollection<string> groups)
    {
        if (domain.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.EndsWith(domain[1..], StringComparison.Ordinal);
        }

        if (domain.StartsWith("{user}", StringComparison.Ordinal))
        {
            return user.Length > 0 && host == user + domain[6..];
        }

        if (domain.StartsWith("{group}", StringComparison.Ordinal))
        {
            var dot = host.IndexOf('.');
            return dot > 0 && host[dot..] == domain[7..] && groups.Contains(host[..dot], StringComparer.OrdinalIgnoreCase);
        }

        return string.Equals(domain, host, StringComparison.OrdinalIgnoreCase);
    }

    private static bool MatchesRegex(System.Text.RegularExpressions.Regex regex, string host, string user, IReadOnlyCollection<string> groups)
    {
        var match = regex.Match(host);
        if (!match.Success)
        {
            return false;
        }

        var userGroup = match.Groups["User"];
        var groupGroup = match.Groups["Group"];
        var hasUser = regex.GetGroupNames().Contains("User");
        var hasGroup = regex.GetGroupNames().Contains("Group");
        return (!hasUser || string.Equals(userGroup.Value, user, StringComparison.OrdinalIgnoreCase))
            && (!hasGroup || groups.Contains(groupGroup.Value, StringComparer.OrdinalIgnoreCase));
    }
}
