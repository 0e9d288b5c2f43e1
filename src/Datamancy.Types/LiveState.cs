namespace Datamancy;

/// <summary>What the engine reports of a service's container; Unknown when no engine was asked.</summary>
public sealed class LiveState
{
    public static readonly LiveState Unknown = new("unknown", "unknown", string.Empty, string.Empty, null, string.Empty, string.Empty, []);

    public static readonly LiveState Absent = new("absent", "none", string.Empty, string.Empty, null, string.Empty, string.Empty, []);

    public LiveState(string state, string health, string containerId, string status, DateTime? created, string imageId, string repoDigest, string[] publishedPorts)
    {
        State = state;
        Health = health;
        ContainerId = containerId;
        Status = status;
        Created = created;
        ImageId = imageId;
        RepoDigest = repoDigest;
        PublishedPorts = new(publishedPorts);
    }

    public string State { get; }

    public string Health { get; }

    public string ContainerId { get; }

    public string Status { get; }

    public DateTime? Created { get; }

    public string ImageId { get; }

    public string RepoDigest { get; }

    public TextList PublishedPorts { get; }

    /// <summary>What ConvertTo-Csv shows for a service's Live property: the state, and the health when there is a healthcheck.</summary>
    public override string ToString() => Health is "none" or "unknown" ? State : $"{State} ({Health})";
}
