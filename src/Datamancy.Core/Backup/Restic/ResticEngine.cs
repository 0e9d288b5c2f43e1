using System.Globalization;
using Datamancy.Errors;

namespace Datamancy.Backup.Restic;

/// <summary>
/// restic (Debian's 0.14) behind IBackupEngine. The repository and its password come in through
/// RESTIC_REPOSITORY and RESTIC_PASSWORD in <paramref name="environment"/>. Snapshots are made with
/// --host <paramref name="host"/> and the module's tags as "key=value". restic 0.14 lists no sizes:
/// listed snapshots have Bytes and Files 0 (unknown); a backup's own outcome has them.
/// </summary>
public sealed class ResticEngine(IToolRunner runner, string program, IReadOnlyDictionary<string, string> environment, string host) : IBackupEngine
{
    public string Name => "restic";

    public bool VerifiesWholeRepository => true;

    public async Task<bool> EnsureRepositoryAsync(CancellationToken cancellationToken)
    {
        var probe = await RunAsync(["cat", "config"], cancellationToken).ConfigureAwait(false);
        if (probe.ExitCode == 0)
        {
            return false;
        }

        if (!probe.StandardError.Contains("unable to open config file", StringComparison.Ordinal))
        {
            throw RepositoryUnavailable(probe);
        }

        var created = await RunAsync(["init", "--repository-version", "2"], cancellationToken).ConfigureAwait(false);
        if (created.ExitCode != 0)
        {
            throw RepositoryUnavailable(created);
        }

        return true;
    }

    public Task<BackupOutcome> BackupPathAsync(string sourcePath, IReadOnlyList<string>? excludes, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        BackupAsync([.. BackupArguments(tags), .. (excludes ?? []).SelectMany(e => new[] { "--exclude", e }), sourcePath], sourcePath, null, tags, cancellationToken);

    public Task<BackupOutcome> BackupStreamAsync(string sourcePath, string fileName, Func<Stream, CancellationToken, Task> writeContent,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        BackupAsync([.. BackupArguments(tags), "--stdin", "--stdin-filename", fileName], "/" + fileName, writeContent, tags, cancellationToken);

    public async Task<IReadOnlyList<SnapshotRecord>> ListAsync(CancellationToken cancellationToken)
    {
        // No host: every host's snapshots (a recovery does not know the project before it reads the repository).
        var result = await RunAsync(host.Length > 0 ? ["snapshots", "--json", "--host", host] : ["snapshots", "--json"], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 && result.StandardError.Contains("unable to open config file", StringComparison.Ordinal))
        {
            // No repository yet: nothing was ever backed up, which is an answer, not an error.
            return [];
        }

        result = Checked(result, "snapshots");
        return ResticJson.Snapshots(result.StandardOutput).Select(ToRecord).OrderBy(s => s.Time).ToList();
    }

    public async Task<IReadOnlyList<SnapshotEntry>> ListFilesAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        var result = await RunCheckedAsync(["ls", "--json", snapshot.Id], cancellationToken).ConfigureAwait(false);
        // A stream snapshot's source is its one file ("/x.sql"): its entry is that file's name.
        var prefix = snapshot.SourcePath.TrimEnd('/') + "/";
        return ResticJson.Nodes(result.StandardOutput)
            .Where(n => n.Path.StartsWith(prefix, StringComparison.Ordinal) || n.Path == snapshot.SourcePath)
            .Select(n => new SnapshotEntry(n.Path == snapshot.SourcePath ? n.Path.TrimStart('/') : n.Path[prefix.Length..], n.Type, n.Type == "file" ? n.Size : 0))
            .ToList();
    }

    public async Task RestoreAsync(SnapshotRecord snapshot, string root, CancellationToken cancellationToken)
    {
        // restic 0.14 restores a snapshot under --target with its full source path, which is what the
        // root means. --verify reads the restored files back and checks them against the snapshot's content hashes.
        var result = await RunAsync(["restore", snapshot.Id, "--target", root, "--verify"], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || result.StandardOutput.Contains("There were", StringComparison.Ordinal))
        {
            throw Failed(ErrorIds.BackupVerifyFailed, $"restic could not restore snapshot {snapshot.Id} intact", result);
        }
    }

    public async Task ReadFileAsync(SnapshotRecord snapshot, string fileName, Func<Stream, CancellationToken, Task> readContent, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ToolInvocation([program, "dump", snapshot.Id, "/" + fileName], environment) { ReadOutput = readContent },
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failed(ErrorIds.BackupVerifyFailed, $"restic could not read {fileName} from snapshot {snapshot.Id}", result);
        }
    }

    public async Task<VerifyOutcome> VerifyAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        // restic checks a repository, not one snapshot: the structure here (indexes, trees, pack
        // headers); a snapshot's content is read and hash-checked by its restore or dump.
        var result = await RunAsync(["check", "--no-lock"], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return new VerifyOutcome(0, 0, []);
        }

        var errors = (result.StandardOutput + "\n" + result.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(IsCheckError).Take(10).ToList();
        return new VerifyOutcome(0, 0, errors.Count > 0 ? errors : [$"restic check exited with {result.ExitCode}"]);
    }

    public async Task ApplyRetentionAsync(RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "forget", "--prune", "--host", host };
        Keep(arguments, "--keep-last", policy.KeepLatest);
        Keep(arguments, "--keep-hourly", policy.KeepHourly);
        Keep(arguments, "--keep-daily", policy.KeepDaily);
        Keep(arguments, "--keep-weekly", policy.KeepWeekly);
        Keep(arguments, "--keep-monthly", policy.KeepMonthly);
        Keep(arguments, "--keep-yearly", policy.KeepAnnual);
        if (arguments.Count > 4)
        {
            // forget needs the repository to itself: first clear locks left by a killed run (restic removes only stale ones).
            await RunCheckedAsync(["unlock"], cancellationToken).ConfigureAwait(false);
            await RunCheckedAsync(arguments, cancellationToken).ConfigureAwait(false);
        }
    }

    private List<string> BackupArguments(IReadOnlyDictionary<string, string> tags)
    {
        var arguments = new List<string> { "backup", "--json", "--quiet", "--host", host };
        foreach (var tag in ResticTags.Format(tags))
        {
            arguments.Add("--tag");
            arguments.Add(tag);
        }

        return arguments;
    }

    private async Task<BackupOutcome> BackupAsync(List<string> arguments, string recordedPath, Func<Stream, CancellationToken, Task>? writeContent,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var result = await runner.RunAsync(new ToolInvocation([program, .. arguments], environment) { WriteInput = writeContent }, cancellationToken).ConfigureAwait(false);
        var summary = ResticJson.FindSummary(result.StandardOutput);

        // Exit 3: a snapshot was saved but some files could not be read; it is kept and reported.
        if (summary?.SnapshotId is not { Length: > 0 } id || (result.ExitCode != 0 && result.ExitCode != 3))
        {
            throw Failed(ErrorIds.BackupFailed, $"restic backup of {recordedPath} failed", result);
        }

        var warnings = result.ExitCode == 3 ? ErrorLines(result.StandardError) : [];
        var snapshot = new SnapshotRecord(id, recordedPath, started, tags, summary.TotalBytes, summary.TotalFiles,
            result.ExitCode == 3 ? "some files could not be read" : string.Empty);
        return new BackupOutcome(snapshot, summary.TotalBytes, summary.TotalFiles, warnings);
    }

    private SnapshotRecord ToRecord(ResticJson.Snapshot snapshot)
    {
        var tags = ResticTags.Parse(snapshot.Tags ?? []);
        return new SnapshotRecord(snapshot.ShortId, snapshot.Paths.FirstOrDefault() ?? string.Empty, snapshot.Time, tags, 0, 0);
    }

    private static void Keep(List<string> arguments, string flag, int? count)
    {
        if (count is { } value)
        {
            arguments.Add(flag);
            arguments.Add(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private Task<ToolOutput> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolInvocation([program, .. arguments], environment), cancellationToken);

    private async Task<ToolOutput> RunCheckedAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Checked(await RunAsync(arguments, cancellationToken).ConfigureAwait(false), arguments[0]);

    private static ToolOutput Checked(ToolOutput result, string command)
    {
        if (result.ExitCode != 0)
        {
            throw result.StandardError.Contains("wrong password", StringComparison.Ordinal) || result.StandardError.Contains("unable to open config file", StringComparison.Ordinal)
                ? RepositoryUnavailable(result)
                : Failed(ErrorIds.BackupToolFailed, $"restic {command} failed", result);
        }

        return result;
    }

    private static bool IsCheckError(string line) =>
        line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Fatal", StringComparison.Ordinal)
        || line.Contains("corrupt", StringComparison.OrdinalIgnoreCase) || line.Contains("invalid", StringComparison.OrdinalIgnoreCase);

    private static List<string> ErrorLines(string standardError) =>
        standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(10).ToList();

    private static DatamancyException RepositoryUnavailable(ToolOutput result)
    {
        var detail = ResticMessages.Summarize(result.StandardError);
        var hint = detail.Contains("wrong password", StringComparison.Ordinal)
            ? "The repository password does not open it: pass -RepositoryCredential, or set the password variable the stack's x-datamancy-backup names in .env."
            : "Check the repository location in x-datamancy-backup (docker-compose.yml) and that the tool container can reach it.";
        return new DatamancyException(ErrorIds.BackupRepositoryUnavailable, ErrorKind.ResourceUnavailable, $"The restic repository cannot be opened: {detail} {hint}");
    }

    private static DatamancyException Failed(string errorId, string what, ToolOutput result) =>
        new(errorId, ErrorKind.InvalidOperation, $"{what} (exit {result.ExitCode}): {ResticMessages.Summarize(result.StandardError + "\n" + result.StandardOutput)}");
}
