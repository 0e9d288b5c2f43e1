using Datamancy.Errors;
using Datamancy.Fingerprints;

namespace Datamancy.Checks;

/// <summary>All checks of one service, and the fingerprint they ran against (null with the error that kept it from being computed).</summary>
public sealed record ServiceTestOutcome(string Service, IReadOnlyList<CheckResult> Results, FingerprintParts? Parts,
    DatamancyException? FingerprintError, TimeSpan Duration)
{
    public bool AllPassed => Results.All(r => r.Passed);
}
