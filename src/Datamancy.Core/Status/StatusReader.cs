using Datamancy.Backup;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Fingerprints;
using Datamancy.Security.Audit;
using Datamancy.Stack.Model;

namespace Datamancy.Status;

/// <summary>
/// Get-DatamancyStatus: each service from the engine's container list (and an inspect per container
/// for its start time and restarts) and the stack's files:
/// fingerprint against last_pass.json, backup records against the policy, the certificate, and the
/// file audit's findings. Nothing here asks the engine; a file that cannot be read is a problem of
/// its service, not an error.
/// </summary>
public static class StatusReader
{
    /// <summary>A certificate that expires within this many days is a problem.</summary>
    public static readonly TimeSpan CertificateWarning = TimeSpan.FromDays(14);

    /// <param name="containers">The engine's containers of the project (one list call), or null when no engine answered.</param>
    /// <param name="runtimes">Per service, its container's start time and restart count (one inspect each), or null when unknown.</param>
    public static IReadOnlyList<ServiceStatus> Read(StackDefinition stack, IReadOnlyList<ServiceDefinition> services,
        IReadOnlyDictionary<string, LiveContainer>? containers, IReadOnlyDictionary<string, ContainerRuntime>? runtimes,
        Func<string, string?> environment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = containers is null ? null : LiveStateReader.ToLiveStates(containers, _ => string.Empty);
        var fingerprints = FingerprintCalculator.Compute(stack, services, live, environment, cancellationToken);
        var policy = BackupPolicy.Load(stack.Directory);
        var allTargets = BackupTargetResolver.All(stack);
        var findings = SecurityAuditor.Audit(stack, null, environment, BackupSecretExposure.PasswordVariableBackedUp(stack)).ToLookup(f => f.Service, StringComparer.Ordinal);
        using var certificate = CertificateExpiry.Load(stack);
        return fingerprints.Select(f =>
        {
            var service = f.Service;
            var state = live is null ? LiveState.Unknown : live.GetValueOrDefault(service.Name) ?? LiveState.Absent;
            var problems = new List<string>();
            problems.AddRange(StateProblems(service, state));
            var (freshness, changed, lastPass) = Freshness(stack, service, f.Parts, f.Error, problems);
            var backups = BackupStanding.Of(stack.Directory, BackupTargetResolver.OfServices(stack, allTargets, [service.Name]), policy.MaxAge, now);
            problems.AddRange(backups.Problems);
            var hostname = stack.HostnameOf(service.Name) ?? string.Empty;
            var expiry = certificate.For(hostname);
            if (expiry is { } notAfter && notAfter - now < CertificateWarning)
            {
                problems.Add(notAfter <= now ? $"certificate for {hostname} expired {notAfter:yyyy-MM-dd}" : $"certificate for {hostname} expires in {(notAfter - now).TotalDays:0} day(s)");
            }

            var counts = findings[service.Name].GroupBy(x => x.Severity).OrderByDescending(g => g.Key)
                .ToDictionary(g => g.Key.ToString(), g => (long)g.Count(), StringComparer.Ordinal);
            var serious = findings[service.Name].Count(x => x.Severity >= SecuritySeverity.High);
            if (serious > 0)
            {
                problems.Add($"{serious} High or Critical security finding(s)");
            }

            var runtime = runtimes?.GetValueOrDefault(service.Name);
            var uptime = state.State == ContainerState.Running && runtime?.StartedAt is { } started ? now - started : (TimeSpan?)null;
            return new ServiceStatus(service.Name, [.. service.Profiles], service.IsJob, state.State, state.Health, state.Status, state.Created,
                runtime?.StartedAt, uptime is { } up && up < TimeSpan.Zero ? TimeSpan.Zero : uptime, runtime?.Restarts,
                freshness, changed, lastPass, backups.Compliance, [.. backups.Targets], backups.LastSuccess, hostname, expiry, counts,
                [.. problems], stack.Directory);
        }).ToList();
    }

    private static IEnumerable<string> StateProblems(ServiceDefinition service, LiveState state)
    {
        if (state.State == ContainerState.Unknown)
        {
            yield return "live state unknown (no engine answered)";
        }
        else if (service.IsJob)
        {
            if (state.Status.StartsWith("Exited (", StringComparison.Ordinal) && !state.Status.StartsWith("Exited (0)", StringComparison.Ordinal))
            {
                yield return $"last run failed ({state.Status})";
            }
        }
        else if (state.State == ContainerState.Absent)
        {
            yield return "no container";
        }
        else if (state.State != ContainerState.Running)
        {
            yield return $"not running ({state.Status})";
        }
        else if (state.Health == HealthStatus.Unhealthy)
        {
            yield return "unhealthy";
        }
    }

    private static (FingerprintState?, string[], DateTimeOffset?) Freshness(StackDefinition stack, ServiceDefinition service,
        FingerprintParts? parts, DatamancyException? error, List<string> problems)
    {
        LastPassRecord? last = null;
        try
        {
            last = LastPassStore.Read(LastPassStore.PathOf(stack.Directory, service.Name), service.Name);
        }
        catch (DatamancyException exception)
        {
            problems.Add(exception.Message);
        }

        if (parts is null)
        {
            problems.Add($"fingerprint not computed: {error?.Message}");
            return (null, [], last?.PassedAt);
        }

        var (state, changed) = Fingerprints.Freshness.Compare(parts, last);
        if (state == FingerprintState.Stale)
        {
            problems.Add($"changed since its tests last passed ({string.Join(", ", changed)})");
        }
        else if (state == FingerprintState.NeverPassed)
        {
            problems.Add("tests never passed");
        }

        return (state, [.. changed], last?.PassedAt);
    }
}
