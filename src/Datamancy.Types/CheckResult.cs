namespace Datamancy;

/// <summary>The outcome of one check of one service, from Test-DatamancyService.</summary>
public sealed class CheckResult
{
    public CheckResult(string service, string check, bool passed, TimeSpan duration, string detail, string url, string stackPath)
    {
        Service = service;
        Check = check;
        Passed = passed;
        Duration = duration;
        Detail = detail;
        Url = url;
        StackPath = stackPath;
    }

    public string Service { get; }

    /// <summary>Container, Dependencies, Https, SecurityHeaders, or "GET &lt;path&gt;" for a declared check.</summary>
    public string Check { get; }

    public bool Passed { get; }

    public TimeSpan Duration { get; }

    /// <summary>What was seen; when the check failed, why.</summary>
    public string Detail { get; }

    /// <summary>The URL requested; empty for checks that make no request.</summary>
    public string Url { get; }

    public string StackPath { get; }

    public override string ToString() => $"{Service} {Check}: {(Passed ? "passed" : "FAILED")} ({Detail})";
}
