namespace Datamancy;

/// <summary>
/// A service's container as the engine reports it. Unknown: no engine was asked; Absent: there is no
/// container; Removed: this call removed it. The others are the engine's own states.
/// </summary>
public enum ContainerState
{
    Unknown,
    Absent,
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
    Removed,
}
