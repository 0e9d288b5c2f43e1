namespace Datamancy.Reporting;

/// <summary>
/// How core work reports while it runs: progress per subject (a service, a target), verbose lines and
/// warnings. Implementations must be thread-safe: workers call it from many threads; the cmdlet
/// bridge writes it out on the pipeline thread, in the order it was reported.
/// </summary>
public interface IReporter
{
    void Progress(string subject, string status);

    void Verbose(string message);

    void Warning(string message);
}

/// <summary>A reporter that drops everything, for callers that do not listen.</summary>
public sealed class NullReporter : IReporter
{
    public static readonly NullReporter Instance = new();

    public void Progress(string subject, string status)
    {
    }

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
