using Datamancy.Errors;

namespace Datamancy.Yaml;

/// <summary>
/// YAML indents with spaces only. YamlDotNet refuses some tabs with a vague message and accepts
/// others (a tab before a top-level key) that PyYAML, and so docker-compose, refuses; this finds
/// them all and names the line.
/// </summary>
internal static class TabIndentation
{
    /// <summary>
    /// The first line (1-based, with the tab's column) whose indentation holds a tab, skipping
    /// lines inside multi-line quoted or block scalars, where a tab is content; null when none.
    /// </summary>
    public static (long Line, long Column)? Find(string text, Func<long, bool> insideScalar)
    {
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            var indent = 0;
            while (indent < line.Length && line[indent] is ' ' or '\t')
            {
                indent++;
            }

            var tab = line.IndexOf('\t', 0, indent);
            if (tab >= 0 && !insideScalar(index + 1))
            {
                return (index + 1, tab + 1);
            }
        }

        return null;
    }

    public static DatamancyException Error(string file, (long Line, long Column) tab) =>
        new(ErrorIds.YamlSyntax, ErrorKind.InvalidData,
            $"{new SourceMark(file, tab.Line, tab.Column)}: line {tab.Line} uses a tab for indentation; YAML allows only spaces. Replace the tab with spaces.", file);
}
