namespace Datamancy;

/// <summary>One compose profile of the stack and its services.</summary>
public sealed class ProfileInfo
{
    public ProfileInfo(string name, string[] services, string stackPath, int? running = null, int? healthy = null)
    {
        Name = name;
        Services = new(services);
        StackPath = stackPath;
        Running = running;
        Healthy = healthy;
    }

    public string Name { get; }

    public TextList Services { get; }

    public int ServiceCount => Services.Count;

    public string StackPath { get; }

    /// <summary>How many of its services run; null when no engine was asked.</summary>
    public int? Running { get; }

    /// <summary>How many of its services report healthy; null when no engine was asked.</summary>
    public int? Healthy { get; }
}
