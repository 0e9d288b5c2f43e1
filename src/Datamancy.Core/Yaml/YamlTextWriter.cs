using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Datamancy.Yaml;

/// <summary>A mapping to write, in insertion order (collection initializer friendly).</summary>
public sealed class YamlMap : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _entries = [];

    public int Count => _entries.Count;

    public void Add(string key, object? value) => _entries.Add(new(key, value));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A scalar written as it was in the source: unquoted when YAML allows, so a reader types it as before (204 stays a number).</summary>
public sealed record PlainScalar(string Text);

/// <summary>
/// Writes a tree of <see cref="YamlMap"/>, lists, strings, numbers, booleans and nulls as block
/// YAML. A string is left unquoted only when YAML 1.1 (PyYAML, so docker-compose 1.29) and YAML
/// 1.2 both read it back as that same string: "80:80" is a number in YAML 1.1 and "no" a boolean.
/// </summary>
public static partial class YamlTextWriter
{
    private static readonly HashSet<string> YamlOneOneWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null",
    };

    public static string Write(YamlMap root)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, new EmitterSettings().WithBestIndent(2).WithBestWidth(4096).WithIndentedSequences().WithNewLine("\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case null:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                break;
            case string text:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ReadsBackAsString(text) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted, true, true));
                break;
            case PlainScalar plain:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, plain.Text, ScalarStyle.Plain, true, true));
                break;
            case bool flag:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, flag ? "true" : "false", ScalarStyle.Plain, true, false));
                break;
            case int or long or double:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, Convert.ToString(value, CultureInfo.InvariantCulture)!, ScalarStyle.Plain, true, false));
                break;
            case YamlMap map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, item) in map)
                {
                    Emit(emitter, key);
                    Emit(emitter, item);
                }

                emitter.Emit(new MappingEnd());
                break;
            case IEnumerable list:
                var items = list.Cast<object?>().ToList();
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, items.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in items)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                throw new ArgumentException($"YamlTextWriter cannot write a {value.GetType().Name}.", nameof(value));
        }
    }

    private static bool ReadsBackAsString(string text) => SafePlain().IsMatch(text) && !YamlOneOneWords.Contains(text);

    // Starts with a letter, '/' or '_' (no number, indicator or special float) and holds no ':', '#' or space.
    [GeneratedRegex(@"^[A-Za-z/_][A-Za-z0-9_./@+=,-]*$")]
    private static partial Regex SafePlain();
}
