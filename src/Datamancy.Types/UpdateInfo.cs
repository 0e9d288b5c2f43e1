namespace Datamancy;

/// <summary>One service's image against its registry, as Get-DatamancyUpdate reports it.</summary>
public sealed class UpdateInfo
{
    public UpdateInfo(string name, string image, string runningDigest, string registryDigest, bool? updateAvailable, bool excluded,
        string pinnedTo, string note, string runningImageId, string stackPath)
    {
        Name = name;
        Image = image;
        RunningDigest = runningDigest;
        RegistryDigest = registryDigest;
        UpdateAvailable = updateAvailable;
        Excluded = excluded;
        PinnedTo = pinnedTo;
        Note = note;
        RunningImageId = runningImageId;
        StackPath = stackPath;
    }

    public string Name { get; }

    /// <summary>The image reference of the compose file (repository:tag).</summary>
    public string Image { get; }

    /// <summary>The registry digest of the image the service's container runs; empty when it runs none or an image never pulled.</summary>
    public string RunningDigest { get; }

    /// <summary>The digest the registry serves now for the tag; empty when it was not asked (excluded) or could not be.</summary>
    public string RegistryDigest { get; }

    /// <summary>True when the registry serves another image than the one running; null when that is not known.</summary>
    public bool? UpdateAvailable { get; }

    /// <summary>Left out of updates by its label (com.centurylinklabs.watchtower.enable=false, the databases); -IncludeExcluded takes it in.</summary>
    public bool Excluded { get; }

    /// <summary>The image id the service is held on after a rollback; empty when it is not pinned.</summary>
    public string PinnedTo { get; }

    /// <summary>Why it is excluded, pinned, or could not be checked; empty otherwise.</summary>
    public string Note { get; }

    public string RunningImageId { get; }

    public string StackPath { get; }
}
