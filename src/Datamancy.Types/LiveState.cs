namespace Datamancy;

/// <summary>What the engine reports of a service's container; Unknown when no engine was asked.</summary>
public sealed class LiveState
{
    public static readonly LiveState Unknown = new(ContainerState.Unknown, HealthStatus.Unknown, string.Empty, string.Empty, null, string.Empty, string.Empty, []);

    public static readonly LiveState Absent = new(ContainerState.Absent, HealthStatus.None, string.Empty, string.Empty, null, string.Empty, string.Empty, []);

    public LiveState(ContainerState state, HealthStatus health, string containerId, string status, DateTime? created, string imageId, string repoDigest, string[] publishedPorts)
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

    public ContainerState State { get; }

    public HealthStatus Health { get; }

    public string ContainerId { get; }

    public string Status { get; }

    public DateTime? Created { get; }

    public string ImageId { get; }

    public string RepoDigest { get; }

    public TextList PublishedPorts { get; }

    /// <summary>What ConvertTo-Csv shows for a service's Live property: the state, and the health when there is a healthcheck.</summary>
    public override string ToString() => Health is HealthStatus.None or HealthStatus.Unknown ? State.ToString() : $"{State} ({Health})";
}
