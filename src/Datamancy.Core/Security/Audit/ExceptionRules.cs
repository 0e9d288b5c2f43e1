using Datamancy.Stack.Model;
using Datamancy.Swarm;

namespace Datamancy.Security.Audit;

/// <summary>Documented exceptions that no finding needs: stale ones would silently cover a future problem.</summary>
internal static class ExceptionRules
{
    public static void CheckUnused(StackDefinition stack, FindingSink sink)
    {
        foreach (var service in stack.Services)
        {
            foreach (var (kind, reason) in service.Exceptions.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                // The login portal never needs forward_auth, so documenting that is not stale.
                if (sink.Needed(service.Name, kind) || (kind == "forward-auth" && ServiceKinds.Is(service, "authelia"))
                    || (kind.StartsWith(SwarmKeyCheck.ExceptionPrefix, StringComparison.Ordinal) && SwarmKeyCheck.Unexpressible(service).Contains(kind[SwarmKeyCheck.ExceptionPrefix.Length..])))
                {
                    continue;
                }

                sink.Add(SecurityRules.StaleException, service.Name,
                    $"{service.Name} documents a '{kind}' exception, but nothing in its definition needs one.",
                    AuditSources.Compose, service.Mark.ToString(), "exception:" + kind,
                    remediation: $"Remove '{kind}' from x-datamancy-exceptions of {service.Name}: a stale exception would silently cover a future problem. Reason documented: {reason}");
            }
        }
    }
}
