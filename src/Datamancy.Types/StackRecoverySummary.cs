namespace Datamancy;

/// <summary>A whole-stack restore or recovery drill at a glance: where, from which point in time, how many services passed, and the recovery time.</summary>
public sealed class StackRecoverySummary
{
    public StackRecoverySummary(string project, string stackPath, string engine, DateTimeOffset snapshotTime, int services, int failed, bool passed,
        TimeSpan recoveryTime, bool isDrill, string reason = "")
    {
        Project = project;
        StackPath = stackPath;
        Engine = engine;
        SnapshotTime = snapshotTime;
        Services = services;
        Failed = failed;
        Passed = passed;
        RecoveryTime = recoveryTime;
        IsDrill = isDrill;
        Reason = reason;
    }

    public string Project { get; }

    public string StackPath { get; }

    /// <summary>The Docker engine the stack was restored onto.</summary>
    public string Engine { get; }

    /// <summary>The time of the stack folder's snapshot the restore started from.</summary>
    public DateTimeOffset SnapshotTime { get; }

    public int Services { get; }

    public int Failed { get; }

    public bool Passed { get; }

    /// <summary>From the first read of the repository to the last check.</summary>
    public TimeSpan RecoveryTime { get; }

    /// <summary>True for Test-DatamancyRecovery (the copy was removed afterwards).</summary>
    public bool IsDrill { get; }

    /// <summary>Why the restore or drill failed before its services could be checked (the target and the tool's words); empty otherwise.</summary>
    public string Reason { get; }
}
