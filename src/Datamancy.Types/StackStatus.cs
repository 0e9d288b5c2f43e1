namespace Datamancy;

/// <summary>The whole stack at a glance (Get-DatamancyStatus -Summary): Up, Degraded or Down, and why.</summary>
public sealed class StackStatus
{
    public StackStatus(string name, StackState state, int services, int running, int well, string[] reasons, DateTimeOffset time, string stackPath)
    {
        Name = name;
        State = state;
        Services = services;
        Running = running;
        Well = well;
        Reasons = new(reasons, "; ");
        Time = time;
        StackPath = stackPath;
    }

    /// <summary>The compose project name.</summary>
    public string Name { get; }

    public StackState State { get; }

    /// <summary>How many services were looked at.</summary>
    public int Services { get; }

    /// <summary>How many of them have a running container.</summary>
    public int Running { get; }

    /// <summary>How many of them have no problem.</summary>
    public int Well { get; }

    /// <summary>Why the stack is not Up: one reason per problem, service problems first, then failed scheduled runs.</summary>
    public TextList Reasons { get; }

    /// <summary>When the status was read.</summary>
    public DateTimeOffset Time { get; }

    public string StackPath { get; }
}
