namespace Datamancy;

/// <summary>One service's checks in total, from Test-DatamancyService -Summary.</summary>
public sealed class ServiceTestSummary
{
    public ServiceTestSummary(string name, int total, int failedCount, string[] failed, TimeSpan duration, string fingerprint, bool recorded, string stackPath)
    {
        Name = name;
        Total = total;
        FailedCount = failedCount;
        Failed = new(failed);
        Duration = duration;
        Fingerprint = fingerprint;
        Recorded = recorded;
        StackPath = stackPath;
    }

    /// <summary>The service (named Name so that the summary pipes into the service cmdlets).</summary>
    public string Name { get; }

    /// <summary>True when every check passed.</summary>
    public bool Passed => FailedCount == 0;

    public int Total { get; }

    public int PassedCount => Total - FailedCount;

    public int FailedCount { get; }

    /// <summary>The names of the checks that failed.</summary>
    public TextList Failed { get; }

    public TimeSpan Duration { get; }

    /// <summary>The fingerprint the checks ran against.</summary>
    public string Fingerprint { get; }

    /// <summary>True when the fingerprint was written to last_pass.json.</summary>
    public bool Recorded { get; }

    public string StackPath { get; }
}
