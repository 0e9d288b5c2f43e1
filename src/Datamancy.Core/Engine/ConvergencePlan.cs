using Datamancy.Stack.Model;

namespace Datamancy.Engine;

/// <summary>What Start-DatamancyProfile will do to one service (Create, Recreate, Start or Unchanged), and why.</summary>
public sealed record ServicePlan(ServiceDefinition Service, ServiceAction Action, string Reason, LiveContainer? Existing, string ImageId);

/// <summary>The whole plan: every service of the selection, in dependency order.</summary>
public sealed record ConvergencePlan(StackDefinition Stack, IReadOnlyList<ServicePlan> Services);
