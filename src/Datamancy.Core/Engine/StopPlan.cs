using Datamancy.Stack.Model;

namespace Datamancy.Engine;

/// <summary>
/// What a stop will do to one service, read from the live state before anything is asked or done:
/// Stop or Remove (a change to approve), Kept (a running service outside the selection needs it) or
/// Unchanged (nothing to stop). <see cref="Note"/> says why a service is not changed.
/// <see cref="Leftovers"/> are the containers an interrupted recreate left beside the service's own:
/// stopped with it, and removed with it.
/// </summary>
public sealed record StopStep(ServiceDefinition Service, LiveContainer? Container, ServiceAction Action, string Note)
{
    public IReadOnlyList<LiveContainer> Leftovers { get; init; } = [];

    public bool IsChange => Action is ServiceAction.Stop or ServiceAction.Remove;

    /// <summary>The change as ShouldProcess shows it.</summary>
    public string Describe(bool removeVolumes) => (Action switch
    {
        ServiceAction.Remove when removeVolumes && Container?.IsRunning == true => "Stop, remove container and volumes",
        ServiceAction.Remove when removeVolumes => "Remove container and volumes",
        ServiceAction.Remove when Container?.IsRunning == true => "Stop and remove container",
        ServiceAction.Remove => "Remove container",
        _ => "Stop",
    }) + (Leftovers.Count == 0 ? string.Empty : $", with {string.Join(", ", Leftovers.Select(c => c.Name))} left by an interrupted recreate");
}

/// <summary>The whole stop: every service of the selection, with what it will do.</summary>
public sealed record StopPlan(StackDefinition Stack, IReadOnlyList<StopStep> Steps, bool Remove, bool RemoveVolumes)
{
    public IReadOnlyList<StopStep> Changes => Steps.Where(s => s.IsChange).ToList();
}
