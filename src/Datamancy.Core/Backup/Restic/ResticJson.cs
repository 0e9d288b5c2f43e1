using System.Text.Json;
using System.Text.Json.Serialization;

namespace Datamancy.Backup.Restic;

/// <summary>The parts of restic 0.14's --json output the adapter reads (cmd/restic/json.go, internal/ui/backup/json.go).</summary>
internal static class ResticJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = false };

    public static BackupSummary? FindSummary(string output) =>
        Lines(output).Select(line => Deserialize<BackupSummary>(line)).LastOrDefault(s => s?.MessageType == "summary");

    public static IReadOnlyList<Snapshot> Snapshots(string output) =>
        output.Trim() is { Length: > 0 } json ? JsonSerializer.Deserialize<List<Snapshot>>(json, Options) ?? [] : [];

    public static IEnumerable<Node> Nodes(string output) =>
        Lines(output).Select(line => Deserialize<Node>(line)).Where(n => n?.StructType == "node").Select(n => n!);

    private static IEnumerable<string> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{'));

    private static T? Deserialize<T>(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, Options);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    internal sealed class BackupSummary
    {
        [JsonPropertyName("message_type")] public string? MessageType { get; set; }
        [JsonPropertyName("snapshot_id")] public string? SnapshotId { get; set; }
        [JsonPropertyName("total_files_processed")] public long TotalFiles { get; set; }
        [JsonPropertyName("total_bytes_processed")] public long TotalBytes { get; set; }
    }

    internal sealed class Snapshot
    {
        [JsonPropertyName("time")] public DateTimeOffset Time { get; set; }
        [JsonPropertyName("paths")] public List<string> Paths { get; set; } = [];
        [JsonPropertyName("hostname")] public string? Hostname { get; set; }
        [JsonPropertyName("tags")] public List<string>? Tags { get; set; }
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("short_id")] public string ShortId { get; set; } = string.Empty;
    }

    internal sealed class Node
    {
        [JsonPropertyName("type")] public string Type { get; set; } = string.Empty;
        [JsonPropertyName("path")] public string Path { get; set; } = string.Empty;
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("struct_type")] public string? StructType { get; set; }
    }
}
