using System.Text.Json.Serialization;

namespace Datamancy.Backup.Kopia;

// The parts of Kopia's JSON the adapter reads, named as Kopia's Go structs name them
// (snapshot/manifest.go, snapshot/stats.go, fs/entry.go, snapshotfs/snapshot_verifier.go,
// cli/command_repository_status.go). Unknown fields are ignored, so newer Kopia versions parse.
// Timestamps stay strings: KopiaTime parses them, so the cut to 7 digits and the error for a bad one are ours.

/// <summary>snapshot.Manifest, plus the list command's retentionReason (cli.SnapshotManifest).</summary>
internal sealed class KopiaManifest
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("source")] public KopiaSource? Source { get; init; }
    [JsonPropertyName("description")] public string Description { get; init; } = "";
    [JsonPropertyName("startTime")] public string? StartTime { get; init; }
    [JsonPropertyName("endTime")] public string? EndTime { get; init; }

    /// <summary>Absent from `snapshot create --json` (a wrapper field shadows it); present in `snapshot list --json`.</summary>
    [JsonPropertyName("stats")] public KopiaStats? Stats { get; init; }

    [JsonPropertyName("incomplete")] public string? Incomplete { get; init; }
    [JsonPropertyName("rootEntry")] public KopiaDirEntry? RootEntry { get; init; }

    /// <summary>User tags, each key prefixed with "tag:" by `snapshot create --tags` (cli/command_snapshot_create.go getTags).</summary>
    [JsonPropertyName("tags")] public Dictionary<string, string>? Tags { get; init; }

    [JsonPropertyName("retentionReason")] public List<string>? RetentionReason { get; init; }
}

internal sealed class KopiaSource
{
    [JsonPropertyName("host")] public string Host { get; init; } = "";
    [JsonPropertyName("userName")] public string UserName { get; init; } = "";
    [JsonPropertyName("path")] public string Path { get; init; } = "";
}

internal sealed class KopiaStats
{
    [JsonPropertyName("totalSize")] public long TotalSize { get; init; }
    [JsonPropertyName("fileCount")] public long FileCount { get; init; }
    [JsonPropertyName("dirCount")] public long DirCount { get; init; }
    [JsonPropertyName("errorCount")] public long ErrorCount { get; init; }
    [JsonPropertyName("ignoredErrorCount")] public long IgnoredErrorCount { get; init; }
}

internal sealed class KopiaDirEntry
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    [JsonPropertyName("size")] public long Size { get; init; }
    [JsonPropertyName("obj")] public string Obj { get; init; } = "";
    [JsonPropertyName("summ")] public KopiaDirSummary? Summary { get; init; }
}

/// <summary>fs.DirectorySummary. Errors lists fatal and ignored failures alike, sorted by path.</summary>
internal sealed class KopiaDirSummary
{
    [JsonPropertyName("size")] public long Size { get; init; }
    [JsonPropertyName("files")] public long Files { get; init; }
    [JsonPropertyName("symlinks")] public long Symlinks { get; init; }
    [JsonPropertyName("dirs")] public long Dirs { get; init; }
    [JsonPropertyName("incomplete")] public string? Incomplete { get; init; }
    [JsonPropertyName("numFailed")] public long NumFailed { get; init; }
    [JsonPropertyName("numIgnoredErrors")] public long NumIgnoredErrors { get; init; }
    [JsonPropertyName("errors")] public List<KopiaEntryError>? Errors { get; init; }
}

internal sealed class KopiaEntryError
{
    [JsonPropertyName("path")] public string Path { get; init; } = "";
    [JsonPropertyName("error")] public string Error { get; init; } = "";
}

/// <summary>snapshotfs.VerifierResult: printed by `snapshot verify --json` even when the command fails.</summary>
internal sealed class KopiaVerifyResult
{
    [JsonPropertyName("stats")] public KopiaVerifyStats? Stats { get; init; }
    [JsonPropertyName("errorCount")] public long ErrorCount { get; init; }
    [JsonPropertyName("errorStrings")] public List<string>? ErrorStrings { get; init; }
}

internal sealed class KopiaVerifyStats
{
    [JsonPropertyName("processedObjectCount")] public long ProcessedObjectCount { get; init; }
    [JsonPropertyName("processedBytes")] public long ProcessedBytes { get; init; }
    [JsonPropertyName("readFileCount")] public long ReadFileCount { get; init; }
    [JsonPropertyName("readBytes")] public long ReadBytes { get; init; }
}

/// <summary>cli.RepositoryStatus: read to be sure Kopia answered; uniqueIDHex is empty over a repository server.</summary>
internal sealed class KopiaRepositoryStatus
{
    [JsonPropertyName("configFile")] public string ConfigFile { get; init; } = "";
    [JsonPropertyName("uniqueIDHex")] public string UniqueIdHex { get; init; } = "";
}
