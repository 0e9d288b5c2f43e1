namespace Datamancy;

/// <summary>What runs the stack's services: Compose-style containers on one engine, or Docker Swarm services.</summary>
public enum Orchestrator
{
    Compose,
    Swarm,
}
