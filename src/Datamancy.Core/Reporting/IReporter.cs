namespace Datamancy.Engine;

/// <summary>
/// How engine work reports while it runs. Implementations must be thread-safe: workers call it
/// from many threads; the cmdlet drains it on the pipeline thread.
/// </summary>
public interface IEngineReporter
{
    void Progress(string service, string status);

    void Verbose(string message);

    void Warning(string message);
}

/// <summary>A reporter that drops everything, for callers that do not listen.</summary>
public sealed class NullEngineReporter : IEngineReporter
{
    public static readonly NullEngineReporter Instance = new();

    public void Progress(string service, string status)
    {
    }

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
