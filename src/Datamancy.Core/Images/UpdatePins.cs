using System.Text.Json;
using System.Text.Json.Serialization;
using Datamancy.Errors;
using Datamancy.Files;

namespace Datamancy.Images;

/// <summary>
/// Services held on an image after a rollback (data/updates/pins.json). The tag may still name the
/// broken version, on the engine and in the registry; a pinned service starts on the image it was
/// rolled back to until an Update-DatamancyService of it passes.
/// </summary>
public static class UpdatePins
{
    public const string RelativePath = "data/updates/pins.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string PathOf(string stackDirectory) => Path.Combine(stackDirectory, RelativePath);

    public static IReadOnlyDictionary<string, ImagePin> Load(string stackDirectory)
    {
        var path = PathOf(stackDirectory);
        if (!File.Exists(path))
        {
            return new Dictionary<string, ImagePin>(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, ImagePin>>(File.ReadAllText(path), Options) ?? new Dictionary<string, ImagePin>();
        }
        catch (JsonException exception)
        {
            throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidData,
                $"{path} is not a valid list of pinned images ({exception.Message}); delete it to unpin every service.", path, exception);
        }
    }

    public static void Pin(string stackDirectory, string service, ImagePin pin) =>
        Save(stackDirectory, new Dictionary<string, ImagePin>(Load(stackDirectory), StringComparer.Ordinal) { [service] = pin });

    /// <summary>Removes the services' pins; false when none of them was pinned.</summary>
    public static bool Unpin(string stackDirectory, IEnumerable<string> services)
    {
        var pins = new Dictionary<string, ImagePin>(Load(stackDirectory), StringComparer.Ordinal);
        var removed = services.Count(pins.Remove) > 0;
        if (removed)
        {
            Save(stackDirectory, pins);
        }

        return removed;
    }

    private static void Save(string stackDirectory, IReadOnlyDictionary<string, ImagePin> pins)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(PathOf(stackDirectory))!);
        PrivateFile.WriteAllText(PathOf(stackDirectory), JsonSerializer.Serialize(pins, Options) + "\n");
    }
}

/// <summary>The image a service is held on: its id, the registry digest it had, why, and since when.</summary>
public sealed record ImagePin(string Image, string ImageId, string Digest, string Reason, DateTimeOffset PinnedAt);
