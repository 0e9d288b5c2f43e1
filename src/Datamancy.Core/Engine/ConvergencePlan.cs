using Datamancy.Stack.Model;

namespace Datamancy.Engine;

public enum PlanAction
{
    Create,
    Recreate,
    Start,
    Unchanged,
}

/// <summary>What Start-DatamancyProfile will do to one service, and why.</summary>
public sealed record ServicePlan(ServiceDefinition Service, PlanAction Action, string Reason, LiveContainer? Existing, string ImageId);

/// <summary>The whole plan: every service of the selection, in dependency order.</summary>
public sealed record ConvergencePlan(StackDefinition Stack, IReadOnlyList<ServicePlan> Services);
