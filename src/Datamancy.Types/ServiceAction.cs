namespace Datamancy;

/// <summary>What a start, stop or restart plans or did for one service.</summary>
public enum ServiceAction
{
    /// <summary>No container: one is created and started.</summary>
    Create,

    /// <summary>The container's definition or image changed (or -Force): it is replaced.</summary>
    Recreate,

    /// <summary>The container exists and is up to date but not running.</summary>
    Start,

    /// <summary>Nothing to do.</summary>
    Unchanged,

    Stop,
    Remove,

    /// <summary>Not stopped: a running service outside the selection depends on it.</summary>
    Kept,

    Restart,

    /// <summary>Not started: a dependency failed.</summary>
    Skipped,

    /// <summary>A swarm service whose spec changed: the swarm rolls its tasks to the new spec.</summary>
    Update,
}
