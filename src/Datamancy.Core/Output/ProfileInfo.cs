namespace Datamancy;

/// <summary>One compose profile of the stack and its services.</summary>
public sealed class ProfileInfo
{
    public ProfileInfo(string name, string[] services, string stackPath)
    {
        Name = name;
        Services = services;
        StackPath = stackPath;
    }

    public string Name { get; }

    public string[] Services { get; }

    public int ServiceCount => Services.Length;

    public string StackPath { get; }
}
