using Datamancy.Stack.Model;

namespace Datamancy.Engine;

/// <summary>
/// What a stop will do to one service, read from the live state before anything is asked or done:
/// Stop or Remove (a change to approve), Kept (a running service outside the selection needs it) or
/// Unchanged (nothing to stop). <see cref="Note"/> says why a service is not changed.
/// </summary>
public sealed record StopStep(ServiceDefinition Service, LiveContainer? Container, ServiceAction Action, string Note)
{
    public bool IsChange => Action is ServiceAction.Stop or ServiceAction.Remove;

    /// <summary>The change as ShouldProcess shows it.</summary>
    public string Describe(bool removeVolumes) => Action switch
    {
        ServiceAction.Remove when removeVolumes && Container?.IsRunning == true => "Stop, remove container and volumes",
        ServiceAction.Remove when removeVolumes => "Remove container and volumes",
        ServiceAction.Remove when Container?.IsRunning == true => "Stop and remove container",
        ServiceAction.Remove => "Remove container",
        _ => "Stop",
    };
}

/// <summary>The whole stop: every service of the selection, with what it will do.</summary>
public sealed record StopPlan(StackDefinition Stack, IReadOnlyList<StopStep> Steps, bool Remove, bool RemoveVolumes)
{
    public IReadOnlyList<StopStep> Changes => Steps.Where(s => s.IsChange).ToList();
}
