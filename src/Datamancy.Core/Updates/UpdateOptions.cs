using Datamancy.Backup;
using Datamancy.Checks;

namespace Datamancy.Updates;

/// <summary>How Update-DatamancyService runs: the health wait, how the checks reach Caddy, and the backup session when -Backup was given.</summary>
public sealed record UpdateOptions(TimeSpan Timeout, ServiceTestOptions Tests, BackupSession? Backup);
