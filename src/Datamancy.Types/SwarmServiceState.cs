namespace Datamancy;

/// <summary>One service of the stack as a swarm runs it: tasks running of those desired, the nodes they run on, the state of its last update.</summary>
public sealed class SwarmServiceState
{
    public SwarmServiceState(string name, string[] profiles, string swarmName, string image, long running, long desired, string[] nodes, string updateState,
        string updateMessage, string stackPath)
    {
        Name = name;
        Profiles = new(profiles);
        SwarmName = swarmName;
        Image = image;
        Running = running;
        Desired = desired;
        Nodes = new(nodes);
        UpdateState = updateState;
        UpdateMessage = updateMessage;
        StackPath = stackPath;
    }

    /// <summary>The compose service name.</summary>
    public string Name { get; }

    public TextList Profiles { get; }

    /// <summary>The first profile, for grouping and for binding to -Profile.</summary>
    public string Profile => Profiles.Count > 0 ? Profiles[0] : string.Empty;

    /// <summary>The swarm service's name, &lt;project&gt;_&lt;service&gt;; empty when the swarm has no such service.</summary>
    public string SwarmName { get; }

    /// <summary>The image the service runs, pinned to its digest.</summary>
    public string Image { get; }

    public long Running { get; }

    public long Desired { get; }

    /// <summary>True when every desired task runs (a task with a healthcheck runs only once healthy).</summary>
    public bool Available => Desired > 0 && Running >= Desired;

    /// <summary>The nodes of the running tasks.</summary>
    public TextList Nodes { get; }

    /// <summary>The last update's state (updating, completed, rollback_completed ...), empty when there was none.</summary>
    public string UpdateState { get; }

    public string UpdateMessage { get; }

    public string StackPath { get; }

    public override string ToString() => Name;
}
