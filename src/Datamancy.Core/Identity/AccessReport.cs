using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Identity;

/// <summary>Access of one subject on every hostname of the Caddyfile, in the Caddyfile's order.</summary>
public static class AccessReport
{
    public static IEnumerable<AccessInfo> For(StackDefinition stack, AccessControl access, string user, IReadOnlyCollection<string> groups,
        Func<string, bool> includeHostname)
    {
        var sortedGroups = groups.Order(StringComparer.Ordinal).ToArray();
        foreach (var route in stack.Routes.DistinctBy(r => r.Hostname, StringComparer.OrdinalIgnoreCase).Where(r => includeHostname(r.Hostname)))
        {
            var decision = AccessEvaluator.Evaluate(access, route.Hostname, user, groups);
            yield return new AccessInfo(
                user,
                sortedGroups,
                route.Hostname,
                route.Service ?? string.Empty,
                route.ForwardAuth,
                decision.Policy,
                decision.Rule is { } rule ? $"rule {rule.Position} ({rule.Mark})" : "default_policy",
                [.. decision.ConditionalRules.Select(r => $"rule {r.Position}: {r.Policy} when {r.DescribeConditions()}")],
                stack.Directory);
        }
    }

    public static DatamancyException HostnameNotFound(StackDefinition stack, string hostname) =>
        new(ErrorIds.HostnameNotFound, ErrorKind.ObjectNotFound,
            $"The Caddyfile of {stack.Directory} routes no hostname '{hostname}'; Get-DatamancyStack lists the stack's hostnames.", hostname);
}
