using System.Text.Json;
using System.Text.Json.Serialization;
using Datamancy.Errors;

namespace Datamancy.Updates;

/// <summary>
/// Every update attempt, one JSON line each, in data/updates/history.jsonl: rolled back and failed
/// ones too, with the reason and the end of the failed container's log. Appended, never rewritten.
/// </summary>
public static class UpdateHistory
{
    public const string RelativePath = "data/updates/history.jsonl";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly object Gate = new();

    public static string PathOf(string stackDirectory) => Path.Combine(stackDirectory, RelativePath);

    public static void Append(string stackDirectory, UpdateResult result, IReadOnlyList<string>? log = null)
    {
        var line = JsonSerializer.Serialize(new Entry(result.Time, result.Service, result.Image, result.From, result.To, result.Status,
            result.Reason, result.Duration.TotalSeconds, result.ErrorId.Length > 0 ? result.ErrorId : null, log is { Count: > 0 } ? log : null), Options);
        var path = PathOf(stackDirectory);
        lock (Gate)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.AppendAllText(path, line + "\n");
        }
    }

    /// <summary>The attempts recorded, oldest first; a line that is not one (a torn write) is an error naming its number.</summary>
    public static IReadOnlyList<UpdateResult> Read(string stackDirectory)
    {
        var path = PathOf(stackDirectory);
        if (!File.Exists(path))
        {
            return [];
        }

        var results = new List<UpdateResult>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            try
            {
                var entry = JsonSerializer.Deserialize<Entry>(line, Options) ?? throw new JsonException("empty entry");
                results.Add(new UpdateResult(entry.Service, entry.Image, entry.From, entry.To, entry.Status, entry.Reason,
                    TimeSpan.FromSeconds(entry.DurationSeconds), entry.Time, stackDirectory, entry.ErrorId ?? string.Empty));
            }
            catch (JsonException exception)
            {
                throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidData,
                    $"{path}:{number} is not an update record ({exception.Message}); remove that line.", path, exception);
            }
        }

        return results;
    }

    private sealed record Entry(DateTimeOffset Time, string Service, string Image, string From, string To, UpdateStatus Status, string Reason,
        double DurationSeconds, string? ErrorId, IReadOnlyList<string>? Log);
}
