using Datamancy.Stack.Model;

namespace Datamancy.Fingerprints;

/// <summary>Compares a service's fingerprint with its last pass and builds the object Get-DatamancyFingerprint writes.</summary>
public static class Freshness
{
    public static (FingerprintState State, IReadOnlyList<string> Changed) Compare(FingerprintParts current, LastPassRecord? last)
    {
        if (last is null)
        {
            return (FingerprintState.NeverPassed, []);
        }

        var changed = current.ChangedFrom(last.Parts);
        return (changed.Count == 0 ? FingerprintState.Fresh : FingerprintState.Stale, changed);
    }

    public static FingerprintInfo ToInfo(StackDefinition stack, ServiceDefinition service, FingerprintParts parts, LastPassRecord? last)
    {
        var (state, changed) = Compare(parts, last);
        return new FingerprintInfo(service.Name, state, [.. changed], parts.Fingerprint, parts.ImageDigest, parts.RepoDigest,
            parts.ConfigHash, parts.EnvHash, parts.ComposeHash, FingerprintCalculator.ConfigFolder(stack, service),
            last?.PassedAt, LastPassStore.PathOf(stack.Directory, service.Name), stack.Directory);
    }
}
