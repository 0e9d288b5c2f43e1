namespace Datamancy.Engine;

/// <summary>What the engine says of itself: its name, memory, and its place in a swarm (SwarmState inactive, active, pending ...).</summary>
public sealed record EngineInfo(string Name, long MemoryBytes, string OperatingSystem, string SwarmState, string NodeId, bool IsSwarmManager);

/// <summary>One event of the engine's stream. TimeNano is the engine's clock, in nanoseconds since the epoch.</summary>
public sealed record EngineEvent(string Type, string Action, string ActorId, IReadOnlyDictionary<string, string> Attributes, long TimeNano);

/// <summary>An image the engine holds.</summary>
public sealed record LocalImage(string Id, IReadOnlyList<string> RepoTags, IReadOnlyList<string> RepoDigests, IReadOnlyDictionary<string, string> Labels, DateTime Created);

/// <summary>One progress line of a pull: the layer, its status ("Downloading", "Pull complete" ...) and bytes done of the total (0 when unknown).</summary>
public sealed record PullProgress(string Image, string Layer, string Status, long Current, long Total);

/// <summary>A named volume.</summary>
public sealed record VolumeInfo(string Name, string Driver, string Mountpoint, IReadOnlyDictionary<string, string> Labels);

/// <summary>A volume to create.</summary>
public sealed record VolumeSpec(string Name, string? Driver, IReadOnlyDictionary<string, string> DriverOptions, IReadOnlyDictionary<string, string> Labels);

/// <summary>A network.</summary>
public sealed record NetworkInfo(string Id, string Name, string Driver, string Scope, bool Internal, bool Attachable, IReadOnlyDictionary<string, string> Labels);

/// <summary>A network to create.</summary>
public sealed record NetworkSpec(string Name, string? Driver, bool Internal, bool Attachable, IReadOnlyDictionary<string, string> Options, IReadOnlyDictionary<string, string> Labels);

/// <summary>A swarm node: Role manager|worker, Availability active|pause|drain, State ready|down|unknown; Version is what an update is based on.</summary>
public sealed record SwarmNodeInfo(string Id, string Hostname, string Role, string Availability, string State, bool Leader, string Address,
    IReadOnlyDictionary<string, string> Labels, long Version);

/// <summary>A task of a swarm service: where it runs, its state (running, starting, failed ...) and the state the swarm wants.</summary>
public sealed record SwarmTaskInfo(string Id, string ServiceId, string NodeId, long Slot, string State, string DesiredState, string Message, string Error,
    string ContainerId, DateTime Timestamp, string Image);

/// <summary>A swarm secret or config as listed: its data is never read back.</summary>
public sealed record SwarmObjectInfo(string Id, string Name, IReadOnlyDictionary<string, string> Labels);
