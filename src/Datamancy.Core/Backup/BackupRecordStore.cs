using System.Text.Json;
using System.Text.Json.Serialization;
using Datamancy.Errors;
using Datamancy.Files;

namespace Datamancy.Backup;

/// <summary>
/// data/backup-status/&lt;target&gt;/last_backup.json: each target's last backup attempt as Invoke-DatamancyBackup
/// saw it, so that Get-DatamancyStatus answers without opening the repository. Schema version 1:
/// <code>
/// { "schemaVersion": 1, "target": "mariadb", "kind": "Database", "engine": "restic", "status": "Completed",
///   "attemptedAt": "2026-01-31T02:30:00+00:00", "lastSuccessAt": "2026-01-31T02:30:00+00:00", "snapshotId": "1a2b3c4d", "errorId": "" }
/// </code>
/// lastSuccessAt survives a failed attempt (it is the last Completed, Unchanged or Partial one); null when none succeeded.
/// </summary>
public static class BackupRecordStore
{
    public const string FileName = "last_backup.json";

    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string PathOf(string stackDirectory, string target) => Path.Combine(stackDirectory, "data", "backup-status", target, FileName);

    /// <summary>The record, or null when the target has never been attempted; throws BackupRecordInvalid when it cannot be read.</summary>
    public static BackupRecord? Read(string stackDirectory, string target)
    {
        var path = PathOf(stackDirectory, target);
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var record = JsonSerializer.Deserialize<BackupRecord>(File.ReadAllText(path), Options) ?? throw new JsonException("empty");
            return record.SchemaVersion == SchemaVersion && record.Target == target ? record
                : throw new JsonException($"schemaVersion {record.SchemaVersion} of target '{record.Target}' is not version {SchemaVersion} of '{target}'");
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new DatamancyException(ErrorIds.BackupRecordInvalid, ErrorKind.InvalidData,
                $"'{path}' cannot be used ({exception.Message.Split('\n')[0]}). Delete it; the next Invoke-DatamancyBackup of '{target}' writes it again.", path, exception);
        }
    }

    /// <summary>Records one attempt, keeping the previous success when this one failed.</summary>
    public static void Record(string stackDirectory, BackupResult result, DateTimeOffset now)
    {
        DateTimeOffset? previous = null;
        try
        {
            previous = Read(stackDirectory, result.Target)?.LastSuccessAt;
        }
        catch (DatamancyException)
        {
            // An unreadable record is replaced by this attempt.
        }

        var succeeded = result.Status != BackupStatus.Failed;
        var record = new BackupRecord(SchemaVersion, result.Target, result.Kind, result.Engine, result.Status, now,
            succeeded ? now : previous, result.SnapshotId, result.ErrorId);
        var path = PathOf(stackDirectory, result.Target);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(record, Options) + "\n", AtomicFile.Readable);
    }
}

/// <summary>One target's last backup attempt (see <see cref="BackupRecordStore"/>).</summary>
public sealed record BackupRecord(int SchemaVersion, string Target, string Kind, string Engine, BackupStatus Status,
    DateTimeOffset AttemptedAt, DateTimeOffset? LastSuccessAt, string SnapshotId, string ErrorId);
