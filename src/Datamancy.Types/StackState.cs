namespace Datamancy;

/// <summary>The stack at a glance, as status pages say it: every service well, some not, or none running.</summary>
public enum StackState
{
    /// <summary>Every long-running service runs, and is healthy where it has a healthcheck; nothing else is wrong.</summary>
    Up,

    /// <summary>Something is wrong (a service down or unhealthy, a stale or untested fingerprint, an old backup, a failed scheduled run), but some services run.</summary>
    Degraded,

    /// <summary>None of the stack's long-running services runs.</summary>
    Down,
}
