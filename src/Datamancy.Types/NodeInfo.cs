namespace Datamancy;

/// <summary>One node of the swarm: its role and availability, its labels, and the stack's services that run tasks on it.</summary>
public sealed class NodeInfo
{
    public NodeInfo(string name, string id, string role, string availability, string state, bool leader, string address, string[] labels, string[] services,
        string stackPath)
    {
        Name = name;
        Id = id;
        Role = role;
        Availability = availability;
        State = state;
        Leader = leader;
        Address = address;
        Labels = new(labels);
        Services = new(services);
        StackPath = stackPath;
    }

    /// <summary>The node's host name, which is its name in the swarm.</summary>
    public string Name { get; }

    public string Id { get; }

    /// <summary>manager or worker.</summary>
    public string Role { get; }

    /// <summary>active, pause or drain.</summary>
    public string Availability { get; }

    /// <summary>ready, down or unknown, as the managers see it.</summary>
    public string State { get; }

    /// <summary>True for the managers' leader.</summary>
    public bool Leader { get; }

    public string Address { get; }

    /// <summary>The node's labels as key=value; datamancy.&lt;service&gt;=true pins a stateful service here.</summary>
    public TextList Labels { get; }

    /// <summary>The stack's services with a task meant to run on this node.</summary>
    public TextList Services { get; }

    public string StackPath { get; }

    public override string ToString() => Name;
}
