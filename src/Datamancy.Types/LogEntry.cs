namespace Datamancy;

/// <summary>One line a service's container wrote, from the engine's log.</summary>
public sealed class LogEntry
{
    public LogEntry(string service, DateTimeOffset timestamp, string stream, string message)
    {
        Service = service;
        Timestamp = timestamp;
        Stream = stream;
        Message = message;
    }

    public string Service { get; }

    public DateTimeOffset Timestamp { get; }

    /// <summary>stdout or stderr.</summary>
    public string Stream { get; }

    public string Message { get; }

    public override string ToString() => $"{Timestamp:O} {Service} {Stream}: {Message}";
}
