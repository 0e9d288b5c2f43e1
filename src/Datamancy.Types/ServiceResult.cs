namespace Datamancy;

/// <summary>What a start, stop or restart did to one service.</summary>
public sealed class ServiceResult
{
    public ServiceResult(string name, ServiceAction action, bool succeeded, ContainerState state, HealthStatus health, string containerId, TimeSpan duration, string error, string stackPath, string errorId = "")
    {
        Name = name;
        Action = action;
        Succeeded = succeeded;
        State = state;
        Health = health;
        ContainerId = containerId;
        Duration = duration;
        Error = error;
        StackPath = stackPath;
        ErrorId = errorId;
    }

    public string Name { get; }

    public ServiceAction Action { get; }

    public bool Succeeded { get; }

    public ContainerState State { get; }

    public HealthStatus Health { get; }

    public string ContainerId { get; }

    public TimeSpan Duration { get; }

    /// <summary>Why it failed; empty when it succeeded.</summary>
    public string Error { get; }

    public string StackPath { get; }

    /// <summary>The stable error id when it failed (ServiceUnhealthy, DependencyFailed, ServiceFailed ...).</summary>
    public string ErrorId { get; }
}
