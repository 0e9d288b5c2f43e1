namespace Datamancy;

/// <summary>A container's healthcheck verdict. None: the service has no healthcheck; Unknown: no engine was asked.</summary>
public enum HealthStatus
{
    Unknown,
    None,
    Starting,
    Healthy,
    Unhealthy,
}
