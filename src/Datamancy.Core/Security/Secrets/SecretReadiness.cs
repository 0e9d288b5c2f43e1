using Datamancy.Errors;

namespace Datamancy.Security.Secrets;

/// <summary>A target as validation found it: the running container to change it in, or null when the server has no data yet (it takes the new value when first started).</summary>
public sealed record TargetState(SecretTarget Target, string? ContainerId);

/// <summary>A plan after validation: ready (Error null) with the state of each target, or refused with the reason.</summary>
public sealed record SecretReadiness(SecretPlan Plan, IReadOnlyList<TargetState> Targets, DatamancyException? Error);

/// <summary>What the engine says about the project, for validation: its containers (null when no engine answered, with why) and the volumes that exist.</summary>
public sealed record EngineView(IReadOnlyDictionary<string, Engine.LiveContainer>? Containers, IReadOnlySet<string> Volumes, string? Unreachable);
