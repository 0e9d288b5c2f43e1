namespace Datamancy.Swarm;

/// <summary>
/// The labels of a stack on a swarm. There is no stack object on the server: a stack is its
/// com.docker.stack.namespace label, as docker stack deploy writes it, so both tools see the same stack.
/// </summary>
public static class SwarmLabels
{
    public const string Namespace = "com.docker.stack.namespace";
    public const string Image = "com.docker.stack.image";

    /// <summary>The compose service a swarm service was made from.</summary>
    public const string Service = "io.datamancy.service";

    /// <summary>Decides Update or Unchanged: the hash of the ServiceSpec Datamancy built (before the digest pin).</summary>
    public const string SpecHash = "io.datamancy.spec-hash";

    /// <summary>The node label prefix that pins a stateful service: node.labels.datamancy.&lt;service&gt;==true.</summary>
    public const string NodeLabelPrefix = "datamancy.";

    public static string NodeLabel(string service) => NodeLabelPrefix + service;

    public static string PlacementConstraint(string service) => $"node.labels.{NodeLabel(service)}==true";

    /// <summary>Swarm names stack objects &lt;stack&gt;_&lt;key&gt;, as docker stack deploy does.</summary>
    public static string ServiceName(string project, string service) => $"{project}_{service}";

    public static IReadOnlyDictionary<string, string?> Stack(string project) =>
        new Dictionary<string, string?>(StringComparer.Ordinal) { [Namespace] = project };
}
