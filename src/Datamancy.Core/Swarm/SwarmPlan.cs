using Datamancy.Engine;
using Datamancy.Stack.Model;
using Docker.DotNet.Models;
using NetworkSpec = Datamancy.Engine.NetworkSpec;

namespace Datamancy.Swarm;

/// <summary>What a swarm deploy does to one service: Create, Update (its spec hash changed) or Unchanged.</summary>
public sealed record SwarmServicePlan(ServiceDefinition Service, ServiceAction Action, ServiceSpec Spec, SwarmService? Existing)
{
    public bool IsNoOp => Action == ServiceAction.Unchanged;

    public string Describe() => Action switch
    {
        ServiceAction.Create => $"Create swarm service {Spec.Name} from {Spec.TaskTemplate!.ContainerSpec!.Image}",
        ServiceAction.Update => $"Update swarm service {Spec.Name} to {Spec.TaskTemplate!.ContainerSpec!.Image} (its spec changed; a failed update rolls back)",
        _ => $"Leave swarm service {Spec.Name} unchanged",
    };
}

/// <summary>A deploy of selected services to a swarm: the overlay networks, configs and secrets to create, then the services in depends_on order.</summary>
public sealed record SwarmPlan(StackDefinition Stack, SwarmSettings Settings, IReadOnlyList<NetworkSpec> MissingNetworks, IReadOnlyList<SwarmServicePlan> Services,
    IReadOnlyList<SwarmObjectData> MissingConfigs, IReadOnlyList<SwarmObjectData> MissingSecrets);
