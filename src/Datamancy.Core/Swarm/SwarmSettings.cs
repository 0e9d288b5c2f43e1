using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Yaml;

namespace Datamancy.Swarm;

/// <summary>
/// The stack's own swarm settings, from its top-level x-datamancy block:
/// <c>orchestrator: compose|swarm</c> (the default of the cmdlets' -Orchestrator) and
/// <c>endpoint-mode: vip|dnsrr</c>. Without endpoint-mode, Datamancy looks for IPVS on the machine it
/// runs on (/proc/net/ip_vs): a virtual IP needs IPVS on every node, and without it a service's name
/// resolves but answers "No route to host"; dnsrr (one DNS record per task) works without it.
/// </summary>
public sealed record SwarmSettings(Orchestrator Orchestrator, string EndpointMode)
{
    public const string BlockKey = "x-datamancy";
    public const string Vip = "vip";
    public const string DnsRoundRobin = "dnsrr";

    public static SwarmSettings From(StackDefinition stack, Func<string, bool>? pathExists = null)
    {
        pathExists ??= File.Exists;
        var block = stack.Extensions.TryGetValue(BlockKey, out var node) ? node as YMapping : null;
        if (node is not null and not YMapping and not YScalar { IsNull: true })
        {
            throw Invalid(stack, $"{node.Mark}: {BlockKey} must be a mapping (orchestrator, endpoint-mode).");
        }

        var orchestrator = Read(stack, block, "orchestrator") switch
        {
            null or "compose" => Orchestrator.Compose,
            "swarm" => Orchestrator.Swarm,
            var other => throw Invalid(stack, $"{block!["orchestrator"]!.Mark}: {BlockKey}.orchestrator is '{other}'; use compose or swarm."),
        };
        var mode = Read(stack, block, "endpoint-mode") switch
        {
            null => pathExists("/proc/net/ip_vs") ? Vip : DnsRoundRobin,
            Vip => Vip,
            DnsRoundRobin => DnsRoundRobin,
            var other => throw Invalid(stack, $"{block!["endpoint-mode"]!.Mark}: {BlockKey}.endpoint-mode is '{other}'; use vip or dnsrr."),
        };
        return new SwarmSettings(orchestrator, mode);
    }

    /// <summary>The orchestrator a cmdlet uses: its -Orchestrator when given, else the stack's default.</summary>
    public static Orchestrator Resolve(StackDefinition stack, Orchestrator? given) => given ?? From(stack).Orchestrator;

    private static string? Read(StackDefinition stack, YMapping? block, string key) => block?[key] switch
    {
        null or YScalar { IsNull: true } => null,
        YScalar scalar => scalar.Value.Trim().ToLowerInvariant(),
        var other => throw Invalid(stack, $"{other.Mark}: {BlockKey}.{key} must be a single word."),
    };

    private static DatamancyException Invalid(StackDefinition stack, string message) =>
        new(ErrorIds.InvalidStackSetting, ErrorKind.InvalidData, message, stack.ComposeFile);
}
