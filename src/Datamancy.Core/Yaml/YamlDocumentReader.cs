using Datamancy.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Datamancy.Yaml;

/// <summary>
/// Reads one YAML document into YNode trees: aliases resolved, merge keys (<c>&lt;&lt;</c>) applied
/// with the mapping's own keys winning, and every scalar value (never a key) passed through
/// <paramref name="transformValue"/>, which is where interpolation happens.
/// </summary>
public static class YamlDocumentReader
{
    private const string MergeKey = "<<";

    public static YNode Read(string file, string text, Func<string, SourceMark, string>? transformValue = null)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(text);
        try
        {
            stream.Load(parser);
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // YamlDotNet's scanner throws InvalidOperationException at the end of some unclosed flow lists.
            throw YamlSyntaxMessages.Translate(file, text, ex, parser);
        }

        if (stream.Documents.Count == 0)
        {
            throw new DatamancyException(ErrorIds.YamlSyntax, ErrorKind.InvalidData,
                $"{file}:1:1: the file holds no YAML document.", file);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw new DatamancyException(ErrorIds.YamlSyntax, ErrorKind.InvalidData,
                $"{file}:{second.Line}:{second.Column}: a second YAML document ('---') is not supported; keep one document per file.", file);
        }

        var root = stream.Documents[0].RootNode;
        if (TabIndentation.Find(text, parser.InsideScalar) is { } tab)
        {
            throw TabIndentation.Error(file, tab);
        }

        return new Converter(file, transformValue ?? ((value, _) => value)).Convert(root, isKey: false);
    }

    private sealed class Converter(string file, Func<string, SourceMark, string> transformValue)
    {
        private readonly Dictionary<YamlNode, YNode> _done = new(ReferenceEqualityComparer.Instance);

        public YNode Convert(YamlNode node, bool isKey)
        {
            CheckTag(node);
            if (!isKey && _done.TryGetValue(node, out var cached))
            {
                return cached;
            }

            var mark = MarkOf(node);
            YNode result = node switch
            {
                YamlScalarNode scalar => new YScalar(mark,
                    isKey ? scalar.Value ?? string.Empty : transformValue(scalar.Value ?? string.Empty, mark),
                    scalar.Style is ScalarStyle.Plain or ScalarStyle.Any),
                YamlSequenceNode sequence => new YSequence(mark, sequence.Children.Select(child => Convert(child, false)).ToList()),
                YamlMappingNode mapping => ConvertMapping(mapping, mark),
                _ => throw new DatamancyException(ErrorIds.YamlSyntax, ErrorKind.InvalidData,
                    $"{mark}: unexpected YAML node.", file),
            };
            if (!isKey)
            {
                _done[node] = result;
            }

            return result;
        }

        private YMapping ConvertMapping(YamlMappingNode mapping, SourceMark mark)
        {
            var own = new List<KeyValuePair<YScalar, YNode>>();
            var merged = new List<YMapping>();
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode keyScalar)
                {
                    throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidData,
                        $"{MarkOf(keyNode)}: a mapping key must be a plain string.", file);
                }

                if (keyScalar.Value == MergeKey && keyScalar.Style is ScalarStyle.Plain or ScalarStyle.Any)
                {
                    merged.AddRange(MergeSources(valueNode));
                    continue;
                }

                own.Add(new((YScalar)Convert(keyScalar, isKey: true), Convert(valueNode, false)));
            }

            // Explicit keys beat merged ones; among merged sources the first listed wins (YAML merge spec).
            var seen = new HashSet<string>(own.Select(e => e.Key.Value), StringComparer.Ordinal);
            foreach (var source in merged)
            {
                foreach (var entry in source.Entries)
                {
                    if (seen.Add(entry.Key.Value))
                    {
                        own.Add(entry);
                    }
                }
            }

            return new YMapping(mark, own);
        }

        private IEnumerable<YMapping> MergeSources(YamlNode value)
        {
            var converted = Convert(value, false);
            if (converted is YMapping single)
            {
                return [single];
            }

            if (converted is YSequence list && list.Items.All(i => i is YMapping))
            {
                return list.Items.Cast<YMapping>();
            }

            throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidData,
                $"{converted.Mark}: a merge key '<<' takes a mapping or a list of mappings (usually an alias such as *hardened), not {converted.KindName}.", file);
        }

        private void CheckTag(YamlNode node)
        {
            if (node.Tag.IsEmpty || node.Tag.Value == "!" || node.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal))
            {
                return;
            }

            throw new DatamancyException(ErrorIds.UnsupportedKey, ErrorKind.InvalidData,
                $"{MarkOf(node)}: the YAML tag '{node.Tag.Value}' is not supported by Datamancy; remove it and write the value out.", file);
        }

        private SourceMark MarkOf(YamlNode node) => new(file, node.Start.Line, node.Start.Column);
    }
}
