namespace Datamancy;

/// <summary>A service's fingerprint against the one recorded when its tests last passed.</summary>
public enum FingerprintState
{
    Fresh,
    Stale,
    NeverPassed,
}
