namespace Datamancy;

/// <summary>A target's latest backup against the policy.</summary>
public enum BackupCompliance
{
    OK,
    NeverBackedUp,

    /// <summary>The latest snapshot is older than the policy's MaxAge.</summary>
    Outdated,

    /// <summary>The latest snapshot is partial (some files were unreadable).</summary>
    Incomplete,
}
