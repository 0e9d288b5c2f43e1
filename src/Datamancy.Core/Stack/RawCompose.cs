using Datamancy.Errors;
using Datamancy.Yaml;

namespace Datamancy.Stack;

/// <summary>
/// The compose file as written, before interpolation: which variables each service references,
/// and each environment entry's raw text. The audit needs it to tell a secret taken from .env
/// from one written inline or falling back to a default; rotation needs it to find who uses a variable.
/// </summary>
public sealed class RawCompose
{
    private RawCompose(IReadOnlyList<RawEnvironmentEntry> environment, IReadOnlyDictionary<string, IReadOnlySet<string>> variables)
    {
        Environment = environment;
        VariablesByService = variables;
    }

    public IReadOnlyList<RawEnvironmentEntry> Environment { get; }

    /// <summary>Every variable each service's definition references, anywhere in it.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> VariablesByService { get; }

    /// <summary>The services that reference a variable, sorted.</summary>
    public IReadOnlyList<string> ServicesUsing(string variable) =>
        VariablesByService.Where(p => p.Value.Contains(variable)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    public static RawCompose Read(string composeFile)
    {
        var root = YamlDocumentReader.Read(composeFile, File.ReadAllText(composeFile));
        var environment = new List<RawEnvironmentEntry>();
        var variables = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (root is not YMapping top || top["services"] is not YMapping services)
        {
            return new RawCompose(environment, variables);
        }

        foreach (var (key, node) in services.Entries)
        {
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            Collect(node, referenced);
            variables[key.Value] = referenced;
            if (node is YMapping service && service["environment"] is { } env)
            {
                environment.AddRange(Entries(key.Value, env));
            }
        }

        return new RawCompose(environment, variables);
    }

    /// <summary>The variables a raw value references (defaults and nested references included).</summary>
    public static IReadOnlySet<string> References(string raw)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (raw.Contains('$'))
        {
            try
            {
                // Every variable is "set" here, so ':?' never throws and every branch is looked at.
                new Interpolator(name =>
                {
                    names.Add(name);
                    return "x";
                }).Interpolate(raw, new SourceMark(string.Empty, 0, 0));
            }
            catch (DatamancyException)
            {
                // A malformed reference: the stack loader reports it; nothing more to learn here.
            }
        }

        return names;
    }

    private static IEnumerable<RawEnvironmentEntry> Entries(string service, YNode env)
    {
        switch (env)
        {
            case YMapping mapping:
                foreach (var (key, value) in mapping.Entries)
                {
                    if (value is YScalar { IsNull: false } scalar)
                    {
                        yield return new RawEnvironmentEntry(service, key.Value, scalar.Value, key.Mark);
                    }
                }

                break;
            case YSequence list:
                foreach (var item in list.Items.OfType<YScalar>())
                {
                    var equals = item.Value.IndexOf('=');
                    if (equals > 0)
                    {
                        yield return new RawEnvironmentEntry(service, item.Value[..equals], item.Value[(equals + 1)..], item.Mark);
                    }
                }

                break;
        }
    }

    private static void Collect(YNode node, HashSet<string> names)
    {
        switch (node)
        {
            case YScalar scalar:
                names.UnionWith(References(scalar.Value));
                break;
            case YSequence list:
                foreach (var item in list.Items)
                {
                    Collect(item, names);
                }

                break;
            case YMapping mapping:
                foreach (var (key, value) in mapping.Entries)
                {
                    names.UnionWith(References(key.Value));
                    Collect(value, names);
                }

                break;
        }
    }
}

/// <summary>One environment entry of a service as written in the compose file.</summary>
public sealed record RawEnvironmentEntry(string Service, string Key, string Raw, SourceMark Mark);
