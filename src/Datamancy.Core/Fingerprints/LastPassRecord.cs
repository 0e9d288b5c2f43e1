namespace Datamancy.Fingerprints;

/// <summary>
/// data/tests/&lt;service&gt;/last_pass.json: the fingerprint a service had when all its checks last
/// passed. Schema version 1 (documented in Get-DatamancyFingerprint's help):
/// <code>
/// {
///   "schemaVersion": 1,
///   "service": "grafana",
///   "fingerprint": "sha256:…",
///   "parts": { "imageDigest": "sha256:…", "repoDigest": "", "configHash": "sha256:…", "envHash": "sha256:…", "composeHash": "sha256:…" },
///   "passedAt": "2025-01-31T12:00:00.0000000+00:00",
///   "moduleVersion": "0.1.0",
///   "checks": ["Container", "Dependencies", "Https", "SecurityHeaders", "GET /api/health"]
/// }
/// </code>
/// Readers ignore fields they do not know, so later versions of schema 1 may add fields; a change
/// that old readers would misread raises schemaVersion.
/// </summary>
public sealed record LastPassRecord(
    string Service, FingerprintParts Parts, DateTimeOffset PassedAt, string ModuleVersion, IReadOnlyList<string> Checks)
{
    public const int SchemaVersion = 1;

    public string Fingerprint => Parts.Fingerprint;
}
