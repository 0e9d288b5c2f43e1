namespace Datamancy;

/// <summary>
/// One service of a whole-stack restore (Restore-DatamancyStack) or recovery drill
/// (Test-DatamancyRecovery): what was restored into it from which snapshot, what was checked
/// (files against the snapshot, rows against the counts taken at dump time), its health and tests.
/// </summary>
public sealed class StackRecoveryResult
{
    public StackRecoveryResult(string service, TextList restored, TextList snapshotIds, long files, long rows, HealthStatus health, string testOutcome,
        bool passed, TimeSpan duration, string reason, string project, string stackPath)
    {
        Service = service;
        Restored = restored;
        SnapshotIds = snapshotIds;
        Files = files;
        Rows = rows;
        Health = health;
        TestOutcome = testOutcome;
        Passed = passed;
        Duration = duration;
        Reason = reason;
        Project = project;
        StackPath = stackPath;
    }

    public string Service { get; }

    /// <summary>What was put back: "volume &lt;key&gt;", "dump"; empty for a service that holds no data.</summary>
    public TextList Restored { get; }

    /// <summary>The snapshots restored into the service, in the order of Restored.</summary>
    public TextList SnapshotIds { get; }

    /// <summary>Files restored into its volumes and compared with the snapshots.</summary>
    public long Files { get; }

    /// <summary>Rows loaded into its database and compared with the counts taken at dump time.</summary>
    public long Rows { get; }

    public HealthStatus Health { get; }

    /// <summary>Test-DatamancyService's verdict: Passed, Failed (with the failed checks), or NotRun.</summary>
    public string TestOutcome { get; }

    public bool Passed { get; }

    /// <summary>The time spent on this service: its restores, its start and its checks.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Why it failed; empty when it passed.</summary>
    public string Reason { get; }

    public string Project { get; }

    public string StackPath { get; }
}
