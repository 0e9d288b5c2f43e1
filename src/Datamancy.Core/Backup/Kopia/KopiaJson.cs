using System.Text.Json;

namespace Datamancy.Backup.Kopia;

/// <summary>
/// Reads what Kopia prints with --json and turns manifests into SnapshotRecords. Throws
/// FormatException (or JsonException) for output that is not what Kopia prints; the engine turns
/// that into BackupToolFailed.
/// </summary>
internal static class KopiaJson
{
    /// <summary>The prefix `snapshot create --tags k:v` puts on every user tag key.</summary>
    public const string TagPrefix = "tag:";

    private static readonly JsonSerializerOptions Options = new() { AllowTrailingCommas = false };

    /// <summary>
    /// The manifest line of `snapshot create --json`, or null when stdout holds none (unchanged
    /// source, or a failure before the manifest was saved). Logs go to stderr, so any other text
    /// on stdout is unexpected and fails the parse.
    /// </summary>
    public static KopiaManifest? ParseCreated(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? null : Deserialize<KopiaManifest>(lines[^1]);
    }

    /// <summary>
    /// `snapshot list --json`: "[", then each manifest as "\n " + JSON separated by ",", then "\n]"
    /// (cli/json_output.go jsonList); "[\n]" when empty. That framing is one valid JSON array.
    /// </summary>
    public static IReadOnlyList<KopiaManifest> ParseList(string stdout)
    {
        var text = stdout.Trim();
        if (!text.StartsWith('[') || !text.EndsWith(']'))
        {
            throw new FormatException("expected a JSON array from 'kopia snapshot list --json'.");
        }

        return Deserialize<List<KopiaManifest>>(text);
    }

    /// <summary>The VerifierResult line, or null when Kopia failed before verifying anything.</summary>
    public static KopiaVerifyResult? ParseVerify(string stdout)
    {
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        return line is null ? null : Deserialize<KopiaVerifyResult>(line);
    }

    public static KopiaRepositoryStatus ParseStatus(string stdout) => Deserialize<KopiaRepositoryStatus>(stdout.Trim());

    /// <summary>
    /// The engine-neutral record. Bytes and Files come from stats where Kopia printed them (list)
    /// and from the root directory's summary otherwise (create drops stats).
    /// </summary>
    public static SnapshotRecord ToRecord(KopiaManifest manifest)
    {
        if (manifest.Id.Length == 0)
        {
            throw new FormatException("a snapshot manifest without an id.");
        }

        if (!KopiaTime.TryParse(manifest.StartTime, out var time))
        {
            throw new FormatException($"snapshot {manifest.Id} has a start time that is not RFC 3339: '{manifest.StartTime}'.");
        }

        var summary = manifest.RootEntry?.Summary;
        var bytes = manifest.Stats?.TotalSize ?? summary?.Size ?? 0;
        var files = manifest.Stats?.FileCount ?? summary?.Files ?? 0;
        return new SnapshotRecord(manifest.Id, manifest.Source?.Path ?? "", time, Tags(manifest.Tags), bytes, files,
            manifest.Incomplete ?? "", manifest.RootEntry?.Obj ?? "");
    }

    /// <summary>The module's tags: Kopia's "tag:"-prefixed keys with the prefix removed; keys without it are not ours.</summary>
    public static IReadOnlyDictionary<string, string> Tags(IReadOnlyDictionary<string, string>? kopiaTags)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in kopiaTags ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(TagPrefix, StringComparison.Ordinal) && key.Length > TagPrefix.Length)
            {
                tags[key[TagPrefix.Length..]] = value;
            }
        }

        return tags;
    }

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new FormatException("Kopia printed JSON null.");
}
