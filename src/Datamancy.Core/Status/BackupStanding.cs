using Datamancy.Backup;
using Datamancy.Errors;

namespace Datamancy.Status;

/// <summary>A service's backups from the records Invoke-DatamancyBackup leaves, against the policy's MaxAge: the worst of its targets.</summary>
public sealed record BackupStanding(BackupCompliance? Compliance, IReadOnlyList<string> Targets, DateTimeOffset? LastSuccess, IReadOnlyList<string> Problems)
{
    public static BackupStanding Of(string stackDirectory, IReadOnlyList<BackupTarget> targets, TimeSpan maxAge, DateTimeOffset now)
    {
        if (targets.Count == 0)
        {
            return new BackupStanding(null, [], null, []);
        }

        var worst = BackupCompliance.OK;
        DateTimeOffset? oldest = DateTimeOffset.MaxValue;
        var problems = new List<string>();
        foreach (var target in targets)
        {
            BackupRecord? record;
            try
            {
                record = BackupRecordStore.Read(stackDirectory, target.Name);
            }
            catch (DatamancyException exception)
            {
                problems.Add(exception.Message);
                record = null;
            }

            var compliance = record?.LastSuccessAt is not { } success ? BackupCompliance.NeverBackedUp
                : now - success > maxAge ? BackupCompliance.Outdated
                : record.Status == BackupStatus.Partial ? BackupCompliance.Incomplete
                : BackupCompliance.OK;
            oldest = record?.LastSuccessAt is { } at && oldest is { } current ? (at < current ? at : current) : null;
            if (Rank(compliance) > Rank(worst))
            {
                worst = compliance;
            }

            if (compliance != BackupCompliance.OK)
            {
                problems.Add(compliance switch
                {
                    BackupCompliance.NeverBackedUp => $"backup target '{target.Name}' never backed up",
                    BackupCompliance.Outdated => $"last backup of '{target.Name}' older than {maxAge.TotalHours:0.#} h",
                    _ => $"last backup of '{target.Name}' incomplete",
                });
            }

            if (record is { Status: BackupStatus.Failed })
            {
                problems.Add($"last backup attempt of '{target.Name}' failed ({record.ErrorId})");
            }
        }

        return new BackupStanding(worst, targets.Select(t => t.Name).ToList(), oldest, problems);
    }

    private static int Rank(BackupCompliance compliance) => compliance switch
    {
        BackupCompliance.NeverBackedUp => 3,
        BackupCompliance.Outdated => 2,
        BackupCompliance.Incomplete => 1,
        _ => 0,
    };
}
