namespace Datamancy;

/// <summary>One line a service's container (or, on a swarm, one of its tasks) wrote, from the engine's log.</summary>
public sealed class LogEntry
{
    public LogEntry(string service, DateTimeOffset timestamp, string stream, string message, string task = "", string node = "")
    {
        Service = service;
        Timestamp = timestamp;
        Stream = stream;
        Message = message;
        Task = task;
        Node = node;
    }

    public string Service { get; }

    public DateTimeOffset Timestamp { get; }

    /// <summary>stdout or stderr.</summary>
    public string Stream { get; }

    public string Message { get; }

    /// <summary>On a swarm, the id of the task that wrote the line (docker service ps --no-trunc shows it); empty in Compose mode.</summary>
    public string Task { get; }

    /// <summary>On a swarm, the host name of the node the task ran on; empty in Compose mode.</summary>
    public string Node { get; }

    public override string ToString() => Node.Length > 0
        ? $"{Timestamp:O} {Service}@{Node} {Stream}: {Message}"
        : $"{Timestamp:O} {Service} {Stream}: {Message}";
}
