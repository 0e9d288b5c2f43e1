using Datamancy.Yaml;

namespace Datamancy.Stack;

/// <summary>
/// Service and profile names read from a compose file without interpolation or validation, for
/// tab completion: fast, local, and silent when the file is broken.
/// </summary>
public static class StackNames
{
    public static (IReadOnlyList<string> Services, IReadOnlyList<string> Profiles) Read(string? directory)
    {
        try
        {
            var file = directory is null ? null : StackLocator.FindComposeFile(directory);
            if (file is null || YamlDocumentReader.Read(file, File.ReadAllText(file)) is not YMapping { } top || top["services"] is not YMapping services)
            {
                return ([], []);
            }

            var profiles = services.Entries
                .SelectMany(e => e.Value is YMapping s && s["profiles"] is YSequence list ? list.Items.OfType<YScalar>().Select(p => p.Value) : [])
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return (services.Entries.Select(e => e.Key.Value).ToList(), profiles);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or Errors.DatamancyException)
        {
            return ([], []);
        }
    }
}
