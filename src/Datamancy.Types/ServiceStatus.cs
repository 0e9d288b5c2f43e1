namespace Datamancy;

/// <summary>
/// One service at a glance (Get-DatamancyStatus): its container from the engine's one list call, and
/// what the stack's files say of it: fingerprint against the last pass, backups of its targets, its
/// hostname's certificate, open security findings. Problems says in words what is not well.
/// </summary>
public sealed class ServiceStatus
{
    public ServiceStatus(string name, string[] profiles, bool isJob, ContainerState state, HealthStatus health, string status, DateTime? created,
        DateTimeOffset? startedAt, TimeSpan? uptime, long? restarts, FingerprintState? fingerprint, string[] changed, DateTimeOffset? lastTestPass, BackupCompliance? backup, string[] backupTargets,
        DateTimeOffset? lastBackup, string hostname, DateTimeOffset? certificateExpiry, IReadOnlyDictionary<string, long> findings,
        string[] problems, string stackPath)
    {
        Name = name;
        Profiles = new(profiles);
        IsJob = isJob;
        State = state;
        Health = health;
        Status = status;
        Created = created;
        StartedAt = startedAt;
        Uptime = uptime;
        Restarts = restarts;
        Fingerprint = fingerprint;
        Changed = new(changed);
        LastTestPass = lastTestPass;
        Backup = backup;
        BackupTargets = new(backupTargets);
        LastBackup = lastBackup;
        Hostname = hostname;
        CertificateExpiry = certificateExpiry;
        Findings = new(findings);
        Problems = new(problems, "; ");
        StackPath = stackPath;
    }

    public string Name { get; }

    public TextList Profiles { get; }

    /// <summary>A one-shot job (restart: "no", no healthcheck): not running is its normal state.</summary>
    public bool IsJob { get; }

    /// <summary>The container's state; Absent when it has none, Unknown when no engine answered.</summary>
    public ContainerState State { get; }

    public HealthStatus Health { get; }

    /// <summary>The engine's status text: "Up 3 hours (healthy)", "Exited (1) 2 minutes ago".</summary>
    public string Status { get; }

    /// <summary>When the container was created (UTC).</summary>
    public DateTime? Created { get; }

    /// <summary>When the container last started (UTC); null when it never did or no engine answered.</summary>
    public DateTimeOffset? StartedAt { get; }

    /// <summary>How long the container has been running; null when it is not running.</summary>
    public TimeSpan? Uptime { get; }

    /// <summary>How often the engine restarted the container under its restart policy since it was created (a crash loop counts up); null when unknown.</summary>
    public long? Restarts { get; }

    /// <summary>Fresh, Stale or NeverPassed against data/tests/&lt;service&gt;/last_pass.json; null when it could not be computed.</summary>
    public FingerprintState? Fingerprint { get; }

    /// <summary>The fingerprint parts changed since the last pass.</summary>
    public TextList Changed { get; }

    /// <summary>When the service's tests last all passed.</summary>
    public DateTimeOffset? LastTestPass { get; }

    /// <summary>The worst compliance among the service's backup targets; null when it has none (no named volume, not a database).</summary>
    public BackupCompliance? Backup { get; }

    /// <summary>The backup targets that are the service's: its dump, the named volumes it mounts.</summary>
    public TextList BackupTargets { get; }

    /// <summary>The oldest of its targets' last successful backups; null when one has never been backed up.</summary>
    public DateTimeOffset? LastBackup { get; }

    /// <summary>The service's hostname behind Caddy; empty when it has no route.</summary>
    public string Hostname { get; }

    /// <summary>When the stack's certificate for the hostname expires; null when there is no hostname or no certificate for it.</summary>
    public DateTimeOffset? CertificateExpiry { get; }

    /// <summary>Open security findings of the service by severity (Critical, High, Medium, Low, Info), from the file audit.</summary>
    public CountMap Findings { get; }

    /// <summary>What is not well, in words; empty when all is.</summary>
    public TextList Problems { get; }

    public bool Well => Problems.Count == 0;

    public string StackPath { get; }
}
