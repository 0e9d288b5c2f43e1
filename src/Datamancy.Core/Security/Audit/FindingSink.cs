namespace Datamancy.Security.Audit;

/// <summary>
/// Collects findings: applies a service's documented exception (the finding drops to Low and
/// carries the reason), remembers which exceptions were needed (for the stale-exception rule) and
/// keys each finding so a live finding that repeats a file finding can be left out.
/// </summary>
internal sealed class FindingSink(string stackPath)
{
    private readonly List<(string Key, SecurityFinding Finding)> _findings = [];
    private readonly HashSet<(string Service, string Kind)> _neededExceptions = [];

    public IReadOnlyList<(string Key, SecurityFinding Finding)> Findings => _findings;

    public bool Needed(string service, string kind) => _neededExceptions.Contains((service, kind));

    /// <param name="key">What the finding is about within its rule and service (a port, a mount target), for de-duplication.</param>
    /// <param name="exceptions">The service's x-datamancy-exceptions; null for findings no exception can cover.</param>
    /// <param name="exceptionAccepted">False when the rule's exception kind is present but cannot lower this finding.</param>
    public void Add(SecurityRule rule, string service, string message, string source, string location, string key,
        IReadOnlyDictionary<string, string>? exceptions = null, SecuritySeverity? severity = null, bool exceptionAccepted = true,
        IReadOnlyList<string>? variables = null, string? remediation = null)
    {
        var level = severity ?? rule.Severity;
        var reason = string.Empty;
        if (rule.ExceptionKind is { } kind && exceptions is not null && exceptions.TryGetValue(kind, out var documented) && !string.IsNullOrWhiteSpace(documented))
        {
            _neededExceptions.Add((service, kind));
            if (exceptionAccepted)
            {
                reason = documented;
                level = level > SecuritySeverity.Low ? SecuritySeverity.Low : level;
            }
        }

        _findings.Add(($"{rule.Id}|{service}|{key}", new SecurityFinding(rule.Id, rule.Title, level, service, message, remediation ?? rule.Remediation,
            reason, source, location, [.. variables ?? []], stackPath)));
    }
}
