using Datamancy.Stack.Model;
using Datamancy.Stack;

namespace Datamancy.Security.Audit;

/// <summary>
/// Audits a stack: its compose file, Caddyfile and .env, and optionally its running containers.
/// A live finding is kept only where the container breaks a rule the file keeps (drift); the
/// file's own findings already cover the rest.
/// </summary>
public static class SecurityAuditor
{
    /// <param name="live">The running containers, or null when no engine was asked.</param>
    /// <param name="environment">The process environment (variables set there win over .env, as in Compose).</param>
    /// <param name="backedUpPasswordVariable">The repository password's variable when the backup takes .env (Backup.BackupSecretExposure); null when it does not.</param>
    public static IReadOnlyList<SecurityFinding> Audit(StackDefinition stack, IReadOnlyList<LiveService>? live, Func<string, string?> environment,
        string? backedUpPasswordVariable = null)
    {
        var sink = new FindingSink(stack.Directory);
        foreach (var service in stack.Services)
        {
            HardeningRules.Check(service, service.Exceptions, stack.Directory, AuditSources.Compose, service.Mark.ToString(), sink);
        }

        RouteRules.Check(stack, sink);
        ImageRules.Check(stack, sink);
        SecretRules.Check(stack, RawCompose.Read(stack.ComposeFile), environment, sink);
        SwarmSecretRules.Check(stack, sink);
        ExceptionRules.CheckUnused(stack, sink);
        BackupRules.Check(stack, backedUpPasswordVariable, sink);

        var findings = sink.Findings.ToList();
        if (live is not null)
        {
            var seen = findings.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            var liveSink = new FindingSink(stack.Directory);
            foreach (var container in live)
            {
                var exceptions = stack.FindService(container.Definition.Name)?.Exceptions ?? new Dictionary<string, string>();
                HardeningRules.Check(container.Definition, exceptions, stack.Directory, AuditSources.Live, $"container {container.ContainerName}", liveSink);
            }

            findings.AddRange(liveSink.Findings.Where(f => seen.Add(f.Key)));
        }

        return findings.Select(f => f.Finding)
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Service, StringComparer.Ordinal)
            .ThenBy(f => f.Location, StringComparer.Ordinal)
            .ToList();
    }
}
