namespace Datamancy;

/// <summary>What Restore-DatamancyBackup put back, and where.</summary>
public sealed class RestoreResult
{
    public RestoreResult(string target, string kind, string snapshotId, string destination, long files, long bytes, TimeSpan duration, string stackPath)
    {
        Target = target;
        Kind = kind;
        SnapshotId = snapshotId;
        Destination = destination;
        Files = files;
        Bytes = bytes;
        Duration = duration;
        StackPath = stackPath;
    }

    public string Target { get; }

    public string Kind { get; }

    public string SnapshotId { get; }

    /// <summary>A folder, "volume:&lt;name&gt;", or "service:&lt;name&gt;" for a dump loaded into its database.</summary>
    public string Destination { get; }

    public long Files { get; }

    public long Bytes { get; }

    public TimeSpan Duration { get; }

    public string StackPath { get; }
}
