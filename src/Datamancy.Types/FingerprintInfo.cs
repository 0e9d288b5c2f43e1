namespace Datamancy;

/// <summary>
/// A service's fingerprint, its parts, and how it compares with the fingerprint recorded when the
/// service's tests last passed (data/tests/&lt;service&gt;/last_pass.json).
/// </summary>
public sealed class FingerprintInfo
{
    public FingerprintInfo(string name, FingerprintState state, string[] changed, string fingerprint, string imageDigest, string repoDigest,
        string configHash, string envHash, string composeHash, string configFolder, DateTimeOffset? lastPassedAt, string lastPassFile, string stackPath)
    {
        Name = name;
        State = state;
        Changed = new(changed);
        Fingerprint = fingerprint;
        ImageDigest = imageDigest;
        RepoDigest = repoDigest;
        ConfigHash = configHash;
        EnvHash = envHash;
        ComposeHash = composeHash;
        ConfigFolder = configFolder;
        LastPassedAt = lastPassedAt;
        LastPassFile = lastPassFile;
        StackPath = stackPath;
    }

    public string Name { get; }

    /// <summary>Fresh (same fingerprint as the last pass), Stale (a part changed since) or NeverPassed.</summary>
    public FingerprintState State { get; }

    /// <summary>The parts that differ from the last pass: ImageDigest, ConfigHash, EnvHash, ComposeHash.</summary>
    public TextList Changed { get; }

    /// <summary>sha256: of the four parts together.</summary>
    public string Fingerprint { get; }

    /// <summary>The image ID of the service's container; empty when it has no container.</summary>
    public string ImageDigest { get; }

    /// <summary>The image's repository digest (name@sha256:...), empty for images built or imported locally.</summary>
    public string RepoDigest { get; }

    /// <summary>sha256: of the service's config folder, as the documented coreutils pipeline computes it.</summary>
    public string ConfigHash { get; }

    /// <summary>sha256: of the service's interpolated environment (values never leave the hash).</summary>
    public string EnvHash { get; }

    /// <summary>sha256: of the service's resolved compose stanza, its environment aside.</summary>
    public string ComposeHash { get; }

    /// <summary>The folder ConfigHash covers: &lt;stack&gt;/&lt;service&gt;.</summary>
    public string ConfigFolder { get; }

    /// <summary>When the service's tests last passed; null when they never did.</summary>
    public DateTimeOffset? LastPassedAt { get; }

    public string LastPassFile { get; }

    public string StackPath { get; }
}
