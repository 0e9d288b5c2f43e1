namespace Datamancy;

/// <summary>Where Test-DatamancyBackup restores a volume or the configs to check them.</summary>
public enum DrillScratch
{
    /// <summary>Memory when the snapshot's files fit the memory scratch, else a scratch volume.</summary>
    Auto = 0,

    /// <summary>Always the memory scratch (a tmpfs); a snapshot too big for it fails its drill.</summary>
    Memory = 1,

    /// <summary>Always a scratch volume on the engine's disk.</summary>
    Disk = 2,
}
