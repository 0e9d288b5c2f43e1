using Datamancy.Stack.Model;

namespace Datamancy.Engine;

/// <summary>
/// What a start will do to one service (Create, Recreate, Start or Unchanged), and why. With
/// PullFirst the image is pulled before that; the action then stands until the pull tells whether
/// the image changed (Planner.Replan).
/// </summary>
public sealed record ServicePlan(ServiceDefinition Service, ServiceAction Action, string Reason, LiveContainer? Existing, string ImageId, bool PullFirst = false)
{
    /// <summary>The name a new container is created from: the service's image, or another name of the same image (a pin's rollback tag).</summary>
    public string ImageReference { get; init; } = Service.Image!;

    /// <summary>Containers a recreate that was cut off left beside the service's own: removed before the action.</summary>
    public IReadOnlyList<LiveContainer> Leftovers { get; init; } = [];

    /// <summary>The name the existing container takes back before the action, when a cut-off recreate left it under its temporary name.</summary>
    public string? RenameTo { get; init; }

    /// <summary>Whether the start leaves this service as it is: nothing to pull, create, start or repair.</summary>
    public bool IsNoOp => Action == ServiceAction.Unchanged && !PullFirst && Leftovers.Count == 0 && RenameTo is null;

    /// <summary>The change as ShouldProcess shows it: "Pull, then Create (no container)".</summary>
    public string Describe() => $"{(PullFirst ? $"Pull, then {Action}" : Action.ToString())} ({Reason}{Repairs()})";

    private string Repairs() =>
        (RenameTo is null ? string.Empty : $"; first renames {Existing!.Name}, left by an interrupted recreate, back to {RenameTo}")
        + (Leftovers.Count == 0 ? string.Empty : $"; first removes {string.Join(", ", Leftovers.Select(c => c.Name))}, left by an interrupted recreate");
}

/// <summary>The whole plan: every service of the selection, in dependency order.</summary>
public sealed record ConvergencePlan(StackDefinition Stack, IReadOnlyList<ServicePlan> Services);

/// <summary>
/// The image a service is to run: its local id (empty while it is not on the engine), whether it is
/// pulled first, and the name to create the container from when it is not the service's image.
/// </summary>
public sealed record ResolvedImage(string Id, bool PullFirst, string? Reference = null);
