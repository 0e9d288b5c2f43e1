namespace Datamancy;

/// <summary>What Update-DatamancyService did for one service.</summary>
public enum UpdateStatus
{
    /// <summary>Now on the registry's newer image, healthy, and its checks pass.</summary>
    Updated,

    /// <summary>The newer image failed (health, checks, or a dependency's rollback); the service is back on its previous image and pinned to it.</summary>
    RolledBack,

    /// <summary>The update or the rollback could not be carried out; Reason says what state the service is in.</summary>
    Failed,

    /// <summary>Nothing to do: up to date, excluded, or not selected for a reason given.</summary>
    Unchanged,
}
