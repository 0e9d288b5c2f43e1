using System.Text.RegularExpressions;
using Datamancy.Stack;
using Datamancy.Yaml;

namespace Datamancy.Identity;

/// <summary>Reads access_control with Authelia's shapes: a string or a list where Authelia takes either.</summary>
internal static class AccessControlReader
{
    private const string Path = "access_control";

    public static AccessControl Read(YNode? node)
    {
        if (node is null or YScalar { IsNull: true })
        {
            return new AccessControl(AccessPolicies.Deny, []);
        }

        var mapping = NodeReader.Mapping(node, Path);
        var defaultPolicy = Policy(mapping["default_policy"], $"{Path}.default_policy") ?? AccessPolicies.Deny;
        var rules = new List<AccessRule>();
        if (mapping["rules"] is { } rulesNode and not YScalar { IsNull: true })
        {
            var list = rulesNode as YSequence ?? throw NodeReader.Invalid(rulesNode, $"{Path}.rules", "a list of rules");
            for (var i = 0; i < list.Items.Count; i++)
            {
                rules.Add(ReadRule(list.Items[i], i + 1, $"{Path}.rules[{i}]"));
            }
        }

        return new AccessControl(defaultPolicy, rules);
    }

    private static AccessRule ReadRule(YNode node, int position, string path)
    {
        var rule = NodeReader.Mapping(node, path);
        var policy = Policy(rule["policy"], $"{path}.policy") ?? throw NodeReader.Invalid(rule, $"{path}.policy", "set (deny, bypass, one_factor or two_factor)");
        return new AccessRule(
            position,
            Strings(rule["domain"], $"{path}.domain").Select(d => d.ToLowerInvariant()).ToList(),
            Strings(rule["domain_regex"], $"{path}.domain_regex").Select(r => Regex(rule["domain_regex"]!, r, $"{path}.domain_regex")).ToList(),
            policy,
            Subjects(rule["subject"], $"{path}.subject"),
            Strings(rule["networks"], $"{path}.networks"),
            Strings(rule["resources"], $"{path}.resources"),
            Strings(rule["methods"], $"{path}.methods").Select(m => m.ToUpperInvariant()).ToList(),
            rule["query"] is { } query && query is not YScalar { IsNull: true },
            rule.Mark);
    }

    private static string? Policy(YNode? node, string path)
    {
        var value = NodeReader.OptionalString(node, path);
        return value is null || AccessPolicies.All.Contains(value)
            ? value
            : throw NodeReader.Invalid(node!, path, "deny, bypass, one_factor or two_factor");
    }

    private static IReadOnlyList<string> Strings(YNode? node, string path) =>
        node is null ? [] : NodeReader.StringOrList(node, path);

    // 'group:a' is [[a]]; ['group:a', 'group:b'] is [[a], [b]]; [['group:a', 'group:b'], 'group:c'] is [[a, b], [c]].
    private static IReadOnlyList<IReadOnlyList<string>> Subjects(YNode? node, string path) => node switch
    {
        null or YScalar { IsNull: true } => [],
        YScalar scalar => [[scalar.Value]],
        YSequence list => list.Items.Select((item, i) => item is YSequence inner
            ? (IReadOnlyList<string>)NodeReader.StringList(inner, $"{path}[{i}]")
            : [NodeReader.String(item, $"{path}[{i}]")]).ToList(),
        _ => throw NodeReader.Invalid(node, path, "a subject or a list of subjects"),
    };

    // Authelia's regexes are Go's RE2; (?P<name>...) is the one spelling .NET lacks.
    private static Regex Regex(YNode node, string pattern, string path)
    {
        try
        {
            return new Regex(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            throw NodeReader.Invalid(node, path, "a valid regular expression");
        }
    }
}
