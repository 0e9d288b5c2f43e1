using System.Text.Json;
using Datamancy.Errors;

namespace Datamancy.Backup.Kopia;

/// <summary>
/// Kopia behind IBackupEngine, through its command line (the CLI's JSON is stable and needs no
/// server credentials or CSRF token, unlike KopiaUI's API). Every run gets the same environment
/// (KOPIA_PASSWORD, KOPIA_CONFIG_PATH, ...); nothing from it is ever an argument or part of a
/// message.
/// </summary>
public sealed class KopiaEngine : IBackupEngine
{
    private const int MaxListedFailures = 10;

    private readonly IToolRunner _runner;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string? _filesystemRepository;
    private readonly KopiaArguments _arguments;
    private readonly KopiaErrors _errors;

    /// <param name="runner">Where Kopia runs: a local process or a container.</param>
    /// <param name="program">"kopia" or a path to it, as the runner sees it.</param>
    /// <param name="environment">Passed to every run; the only way the password reaches Kopia.</param>
    /// <param name="filesystemRepository">A filesystem repository path EnsureRepositoryAsync may create; null: the repository must be connected already.</param>
    public KopiaEngine(IToolRunner runner, string program, IReadOnlyDictionary<string, string> environment, string? filesystemRepository = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentException.ThrowIfNullOrEmpty(program);
        ArgumentNullException.ThrowIfNull(environment);
        _runner = runner;

        // A copy: what the caller changes later must not reach a run, nor escape the scrubbing.
        _environment = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        _filesystemRepository = filesystemRepository;
        _arguments = new KopiaArguments(program);
        _errors = new KopiaErrors(_environment);
    }

    public string Name => "kopia";

    /// <summary>kopia snapshot verify reads back the one snapshot it is given.</summary>
    public bool VerifiesWholeRepository => false;

    public async Task<bool> EnsureRepositoryAsync(CancellationToken cancellationToken)
    {
        var status = await RunAsync(_arguments.RepositoryStatus(), cancellationToken).ConfigureAwait(false);
        if (status.ExitCode == 0)
        {
            Read(() => KopiaJson.ParseStatus(status.StandardOutput), "read the Kopia repository status", status.StandardOutput);
            return false;
        }

        if (!KopiaErrors.IsNotConnected(status) || _filesystemRepository is null)
        {
            throw _errors.Failure("open the Kopia repository", status, ErrorIds.BackupRepositoryUnavailable);
        }

        // Without a password Kopia would prompt on a terminal there is not, and fail obscurely.
        if (!_environment.TryGetValue("KOPIA_PASSWORD", out var password) || password.Length == 0)
        {
            throw new DatamancyException(ErrorIds.BackupRepositoryUnavailable, ErrorKind.InvalidArgument,
                $"Cannot create the Kopia repository at '{_filesystemRepository}': no repository password was given. Set KOPIA_PASSWORD in the stack's .env.",
                _filesystemRepository);
        }

        var created = await RunAsync(_arguments.CreateFilesystemRepository(_filesystemRepository), cancellationToken).ConfigureAwait(false);
        if (created.ExitCode == 0)
        {
            return true;
        }

        // The repository is there but this Kopia lost its connection (a new config volume): connect, do not create.
        if (created.StandardError.Contains("found existing data in storage location", StringComparison.Ordinal))
        {
            var connected = await RunAsync(_arguments.ConnectFilesystemRepository(_filesystemRepository), cancellationToken).ConfigureAwait(false);
            return connected.ExitCode == 0
                ? false
                : throw _errors.Failure($"connect the Kopia repository at '{_filesystemRepository}'", connected, ErrorIds.BackupRepositoryUnavailable, _filesystemRepository);
        }

        throw _errors.Failure($"create a Kopia repository at '{_filesystemRepository}'", created, ErrorIds.BackupRepositoryUnavailable, _filesystemRepository);
    }

    public async Task<BackupOutcome> BackupPathAsync(string sourcePath, IReadOnlyList<string>? excludes, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        if (excludes is not null)
        {
            // Kopia's snapshot create takes no exclusions: they are the source's ignore policy, kept in the repository.
            var ignored = await RunAsync(_arguments.SetIgnores(sourcePath, excludes), cancellationToken).ConfigureAwait(false);
            if (ignored.ExitCode != 0)
            {
                throw _errors.Failure($"set the ignore rules of {sourcePath}", ignored, ErrorIds.BackupToolFailed);
            }
        }

        var output = await RunAsync(_arguments.CreateSnapshot(sourcePath, tags), cancellationToken).ConfigureAwait(false);
        return Created(sourcePath, output);
    }

    public async Task<BackupOutcome> BackupStreamAsync(string sourcePath, string fileName, Func<Stream, CancellationToken, Task> writeContent,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writeContent);
        var invocation = new ToolInvocation(_arguments.CreateSnapshot(sourcePath, tags, fileName), _environment) { WriteInput = writeContent };
        var output = await _runner.RunAsync(invocation, cancellationToken).ConfigureAwait(false);
        return Created(sourcePath, output);
    }

    public async Task<IReadOnlyList<SnapshotRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var output = await RunAsync(_arguments.ListSnapshots(), cancellationToken).ConfigureAwait(false);
        if (output.ExitCode != 0)
        {
            throw _errors.Failure("list the Kopia snapshots", output, ErrorIds.BackupToolFailed);
        }

        // Kopia groups by source and sorts each group by time; the interface wants one time order.
        // OrderBy is stable, so snapshots of the same tick keep Kopia's order.
        return Read(() => KopiaJson.ParseList(output.StandardOutput).Select(KopiaJson.ToRecord).OrderBy(r => r.Time).ToList(),
            "list the Kopia snapshots", output.StandardOutput);
    }

    public async Task<IReadOnlyList<SnapshotEntry>> ListFilesAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var output = await RunAsync(_arguments.ListFiles(snapshot.Id), cancellationToken).ConfigureAwait(false);
        var what = $"list the files of snapshot {snapshot.Id}";
        return output.ExitCode == 0
            ? Read(() => KopiaListing.Parse(output.StandardOutput), what, output.StandardOutput)
            : throw _errors.Failure(what, output, ErrorIds.BackupToolFailed, snapshot.Id);
    }

    /// <summary>
    /// Kopia checks every content it reads against its hash (and its authenticated encryption),
    /// so a restore that exits 0 wrote exactly the snapshot's data. Its summary ("Restored N
    /// files, ...") is a log line only; the exit code is the result.
    /// </summary>
    public async Task RestoreAsync(SnapshotRecord snapshot, string root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrEmpty(root);
        // Kopia restores a snapshot's content into the folder it is given: the source path under root.
        var destination = root.TrimEnd('/') + snapshot.SourcePath;
        var output = await RunAsync(_arguments.Restore(snapshot.Id, destination), cancellationToken).ConfigureAwait(false);
        if (output.ExitCode != 0)
        {
            throw _errors.Failure($"restore snapshot {snapshot.Id} onto '{destination}'", output, ErrorIds.BackupFailed, snapshot.Id);
        }
    }

    public async Task ReadFileAsync(SnapshotRecord snapshot, string fileName, Func<Stream, CancellationToken, Task> readContent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(readContent);

        // `kopia show` takes an object id, not a snapshot id; a record made elsewhere may lack it.
        var root = snapshot.RootObject.Length > 0 ? snapshot.RootObject : await RootObjectAsync(snapshot.Id, cancellationToken).ConfigureAwait(false);
        var invocation = new ToolInvocation(_arguments.Show(root, fileName), _environment) { ReadOutput = readContent };
        var output = await _runner.RunAsync(invocation, cancellationToken).ConfigureAwait(false);
        if (output.ExitCode != 0)
        {
            throw _errors.Failure($"read '{fileName}' from snapshot {snapshot.Id}", output, ErrorIds.BackupToolFailed, snapshot.Id);
        }
    }

    /// <summary>
    /// Verification errors are the result, not a failure: Kopia prints its JSON and exits 1, and
    /// the outcome carries the errors. Only a run that printed no result throws.
    /// </summary>
    public async Task<VerifyOutcome> VerifyAsync(SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var output = await RunAsync(_arguments.Verify(snapshot.Id), cancellationToken).ConfigureAwait(false);
        var what = $"verify snapshot {snapshot.Id}";
        KopiaVerifyResult? result;
        try
        {
            result = KopiaJson.ParseVerify(output.StandardOutput);
        }
        catch (Exception e) when (e is JsonException or FormatException && output.ExitCode != 0)
        {
            result = null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw _errors.Unreadable(what, output.StandardOutput, e);
        }

        if (result is null)
        {
            throw _errors.Failure(what, output, ErrorIds.BackupVerifyFailed, snapshot.Id);
        }

        var errors = (result.ErrorStrings ?? []).Select(_errors.Scrub).ToList();

        // Kopia reports a snapshot id it cannot load as a verification error (snapshot verify's
        // loadSnapIDManifests); it is a missing snapshot, not a damaged one.
        if (errors.FirstOrDefault(e => e.Contains("requested snapshot IDs to verify", StringComparison.Ordinal)) is { } missing)
        {
            throw new DatamancyException(ErrorIds.BackupSnapshotNotFound, ErrorKind.ObjectNotFound,
                $"Cannot {what}: the repository has no such snapshot. Kopia said: {missing}", snapshot.Id);
        }

        // With --max-errors 0 (all errors counted, none skipped) Kopia keeps the text of the first only.
        if (result.ErrorCount > errors.Count)
        {
            errors.Add($"{result.ErrorCount - errors.Count} more error(s): Kopia keeps the text of the first only; its log names each ('error processing ...').");
        }

        if (output.ExitCode != 0 && errors.Count == 0)
        {
            errors.Add($"Kopia exited with code {output.ExitCode}: {_errors.Said(output.StandardError)}");
        }

        return new VerifyOutcome(result.Stats?.ProcessedObjectCount ?? 0, result.Stats?.ReadBytes ?? 0, errors);
    }

    public async Task ApplyRetentionAsync(RetentionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var arguments = _arguments.SetGlobalRetention(policy);
        if (arguments.Count == 0)
        {
            return;
        }

        var output = await RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (output.ExitCode != 0)
        {
            throw _errors.Failure("set Kopia's global retention policy", output, ErrorIds.BackupToolFailed);
        }
    }

    private Task<ToolOutput> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        _runner.RunAsync(new ToolInvocation(arguments, _environment), cancellationToken);

    private async Task<string> RootObjectAsync(string snapshotId, CancellationToken cancellationToken)
    {
        var found = (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Id == snapshotId);
        return found is { RootObject.Length: > 0 }
            ? found.RootObject
            : throw new DatamancyException(ErrorIds.BackupSnapshotNotFound, ErrorKind.ObjectNotFound,
                $"Kopia snapshot {snapshotId} is not in the repository.", snapshotId);
    }

    /// <summary>
    /// What `snapshot create --json` means: a manifest and exit 0 is a snapshot; nothing and exit 0
    /// is an unchanged source Kopia did not save (ignoreIdenticalSnapshots); a manifest and exit 1
    /// is a saved snapshot with fatal errors (numFailed); nothing and exit 1 is a failed upload.
    /// </summary>
    private BackupOutcome Created(string sourcePath, ToolOutput output)
    {
        var what = $"back up '{sourcePath}' with Kopia";
        KopiaManifest? manifest;
        try
        {
            manifest = KopiaJson.ParseCreated(output.StandardOutput);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw output.ExitCode != 0 ? _errors.Failure(what, output, ErrorIds.BackupFailed, sourcePath) : _errors.Unreadable(what, output.StandardOutput, e);
        }

        if (manifest is null)
        {
            return output.ExitCode == 0
                ? new BackupOutcome(null, 0, 0, [$"Kopia saved no snapshot of '{sourcePath}': nothing changed since the previous one."])
                : throw _errors.Failure(what, output, ErrorIds.BackupFailed, sourcePath);
        }

        var record = Read(() => KopiaJson.ToRecord(manifest), what, output.StandardOutput);
        var summary = manifest.RootEntry?.Summary;
        if (output.ExitCode != 0)
        {
            throw FatalErrors(record, summary, output);
        }

        var warnings = new List<string>();
        if (record.IncompleteReason.Length > 0)
        {
            warnings.Add($"Kopia snapshot {record.Id} of '{sourcePath}' is incomplete ({record.IncompleteReason}).");
        }

        if (summary is { NumIgnoredErrors: > 0 })
        {
            warnings.Add($"Kopia ignored {summary.NumIgnoredErrors} error(s) while snapshotting '{sourcePath}' (snapshot {record.Id}).");
            warnings.AddRange(Failures(summary).Select(f => $"'{sourcePath}': {f}"));
        }

        return new BackupOutcome(record, record.Bytes, record.Files, warnings);
    }

    /// <summary>The snapshot is saved (Kopia prints the manifest before it checks numFailed), but it is not a whole backup.</summary>
    private DatamancyException FatalErrors(SnapshotRecord record, KopiaDirSummary? summary, ToolOutput output)
    {
        var count = summary?.NumFailed ?? 0;
        var failures = summary is null ? [] : Failures(summary).ToList();
        var said = _errors.Said(output.StandardError);
        var message = count > 0
            ? $"Kopia saved snapshot {record.Id} of '{record.SourcePath}' with {count} fatal error(s); it does not hold all the files."
            : $"Kopia saved snapshot {record.Id} of '{record.SourcePath}', then failed (exit code {output.ExitCode}).";
        if (failures.Count > 0)
        {
            message += " Failed: " + string.Join("; ", failures) + ".";
        }

        if (said.Length > 0)
        {
            message += " Kopia said: " + said;
        }

        return new DatamancyException(ErrorIds.BackupFailed, ErrorKind.InvalidData, message, record.SourcePath);
    }

    // Kopia keeps the failures sorted by path and means to keep 10 (fs.MaxFailedEntriesPerDirectorySummary); the root may hold more.
    private IEnumerable<string> Failures(KopiaDirSummary summary) =>
        (summary.Errors ?? []).Take(MaxListedFailures).Select(e => _errors.Scrub($"{e.Path}: {e.Error}"));

    private T Read<T>(Func<T> parse, string what, string stdout)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw _errors.Unreadable(what, stdout, e);
        }
    }
}
