namespace Datamancy;

/// <summary>One update attempt of one service: Update-DatamancyService's result, and a line of the update history.</summary>
public sealed class UpdateResult
{
    public UpdateResult(string service, string image, string from, string to, UpdateStatus status, string reason, TimeSpan duration,
        DateTimeOffset time, string stackPath, string errorId = "")
    {
        Service = service;
        Image = image;
        From = from;
        To = to;
        Status = status;
        Reason = reason;
        Duration = duration;
        Time = time;
        StackPath = stackPath;
        ErrorId = errorId;
    }

    public string Service { get; }

    /// <summary>Also the name the next cmdlet binds to.</summary>
    public string Name => Service;

    public string Image { get; }

    /// <summary>The registry digest the service ran before.</summary>
    public string From { get; }

    /// <summary>The registry digest it was updated to (or tried).</summary>
    public string To { get; }

    public UpdateStatus Status { get; }

    /// <summary>Why it rolled back, failed or was left unchanged; empty when it updated.</summary>
    public string Reason { get; }

    public TimeSpan Duration { get; }

    /// <summary>When the attempt ended.</summary>
    public DateTimeOffset Time { get; }

    public string StackPath { get; }

    /// <summary>UpdateRolledBack or UpdateFailed when it did not update; empty otherwise.</summary>
    public string ErrorId { get; }
}
