namespace Datamancy;

/// <summary>A stack folder, as Get-DatamancyStack and New-DatamancyStack report it.</summary>
public sealed class StackInfo
{
    public StackInfo(string name, string path, string composeFile, string envFile, string[] profiles, string[] services, string[] hostnames)
    {
        ProjectName = name;
        Path = path;
        ComposeFile = composeFile;
        EnvFile = envFile;
        Profiles = new(profiles);
        Services = new(services);
        Hostnames = new(hostnames);
    }

    /// <summary>The Compose project name (not "Name", so piping a stack into the service cmdlets binds only its path).</summary>
    public string ProjectName { get; }

    /// <summary>The stack folder.</summary>
    public string Path { get; }

    public string ComposeFile { get; }

    /// <summary>The .env file in use, or empty when the stack has none.</summary>
    public string EnvFile { get; }

    public TextList Profiles { get; }

    public TextList Services { get; }

    public TextList Hostnames { get; }

    /// <summary>The stack folder again, under the name the other cmdlets' -Path binds from.</summary>
    public string StackPath => Path;
}
