using System.Text.Json;
using System.Text.Json.Serialization;
using Datamancy.Errors;
using Datamancy.Files;

namespace Datamancy.Backup;

/// <summary>
/// The stack's backup policy, kept beside the compose file in backup-policy.json (version it with the
/// stack): retention, the maximum age of a target's latest snapshot before Get-DatamancyBackup calls
/// it Outdated, the schedule written by Set-DatamancyBackupPolicy and the cron file that runs it, and
/// whether the configs target takes the stack's secrets (.env, private keys) into the repository.
/// </summary>
public sealed record BackupPolicy(RetentionPolicy Retention, TimeSpan MaxAge, string? Schedule, string? ScheduleFile = null, bool IncludeSecrets = false)
{
    public const string FileName = "backup-policy.json";

    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromHours(26);

    public static readonly BackupPolicy Default = new(new RetentionPolicy(null, null, null, null, null, null), DefaultMaxAge, null);

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public bool HasRetention => Retention is not { KeepLatest: null, KeepHourly: null, KeepDaily: null, KeepWeekly: null, KeepMonthly: null, KeepAnnual: null };

    public static BackupPolicy Load(string stackDirectory)
    {
        var path = Path.Combine(stackDirectory, FileName);
        if (!File.Exists(path))
        {
            return Default;
        }

        try
        {
            var file = JsonSerializer.Deserialize<PolicyFile>(File.ReadAllText(path), Options) ?? new PolicyFile();
            return new BackupPolicy(new RetentionPolicy(file.KeepLatest, file.KeepHourly, file.KeepDaily, file.KeepWeekly, file.KeepMonthly, file.KeepAnnual),
                file.MaxAge is { } age ? TimeSpan.Parse(age, System.Globalization.CultureInfo.InvariantCulture) : DefaultMaxAge, file.Schedule, file.ScheduleFile,
                file.IncludeSecrets ?? false);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or OverflowException)
        {
            throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidData,
                $"{path} is not a valid backup policy ({exception.Message}); fix it or write it again with Set-DatamancyBackupPolicy.", path, exception);
        }
    }

    /// <summary>The policy as Get- and Set-DatamancyBackupPolicy return it.</summary>
    public BackupPolicyInfo Describe(string stackDirectory)
    {
        var r = Retention;
        return new BackupPolicyInfo(r.KeepLatest, r.KeepHourly, r.KeepDaily, r.KeepWeekly, r.KeepMonthly, r.KeepAnnual, MaxAge,
            Schedule ?? string.Empty, ScheduleFile ?? string.Empty, stackDirectory, IncludeSecrets);
    }

    public void Save(string stackDirectory)
    {
        var file = new PolicyFile
        {
            KeepLatest = Retention.KeepLatest, KeepHourly = Retention.KeepHourly, KeepDaily = Retention.KeepDaily,
            KeepWeekly = Retention.KeepWeekly, KeepMonthly = Retention.KeepMonthly, KeepAnnual = Retention.KeepAnnual,
            MaxAge = MaxAge.ToString("c", System.Globalization.CultureInfo.InvariantCulture), Schedule = Schedule, ScheduleFile = ScheduleFile,
            IncludeSecrets = IncludeSecrets ? true : null,
        };
        PrivateFile.WriteAllText(Path.Combine(stackDirectory, FileName), JsonSerializer.Serialize(file, Options) + "\n");
    }

    private sealed class PolicyFile
    {
        public int? KeepLatest { get; set; }
        public int? KeepHourly { get; set; }
        public int? KeepDaily { get; set; }
        public int? KeepWeekly { get; set; }
        public int? KeepMonthly { get; set; }
        public int? KeepAnnual { get; set; }
        public string? MaxAge { get; set; }
        public string? Schedule { get; set; }
        public string? ScheduleFile { get; set; }
        public bool? IncludeSecrets { get; set; }
    }
}
