namespace Datamancy.Engine;

/// <summary>
/// Label filters: a key with a value matches that value, a key with null matches any value.
/// </summary>
public static class LabelFilter
{
    public static IReadOnlyDictionary<string, string?> Project(string project) =>
        new Dictionary<string, string?>(StringComparer.Ordinal) { [ComposeLabels.Project] = project };
}

/// <summary>Which containers to list: those carrying every label of <see cref="Labels"/>; stopped ones too unless <see cref="All"/> is false.</summary>
public sealed record ContainerQuery(IReadOnlyDictionary<string, string?> Labels, bool All = true)
{
    public static ContainerQuery ForProject(string project) => new(LabelFilter.Project(project));
}

/// <summary>Which events to follow: from <see cref="Since"/> on (replayed first), of the given object types and labels.</summary>
public sealed record EventQuery(DateTimeOffset Since, IReadOnlyList<string> Types, IReadOnlyDictionary<string, string?> Labels);

/// <summary>What part of a container's log to read. A null <see cref="Tail"/> means all of it.</summary>
public sealed record LogQuery(int? Tail, DateTimeOffset? Since, bool Follow);

/// <summary>A command to run in a container: the argument vector (no shell), its extra environment and whether it reads standard input.</summary>
public sealed record ExecRequest(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string>? Environment = null, bool AttachInput = false,
    string? User = null, string? WorkingDirectory = null);
