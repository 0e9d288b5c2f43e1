using System.Globalization;

namespace Datamancy.Backup.Kopia;

/// <summary>
/// The command lines the engine runs, flags as Kopia's cli/*.go declares them. Nothing secret is
/// ever an argument: the password reaches Kopia as KOPIA_PASSWORD in the environment. Values that
/// Kopia's parser (kingpin) would read as a flag are refused rather than quoted.
/// </summary>
internal sealed class KopiaArguments(string program)
{
    public IReadOnlyList<string> RepositoryStatus() => [program, "repository", "status", "--json"];

    // Updates are the image's business; a backup run should not call out to GitHub.
    public IReadOnlyList<string> CreateFilesystemRepository(string path) =>
        [program, "repository", "create", "filesystem", "--path", Value(path, "repository path"), "--no-check-for-updates"];

    public IReadOnlyList<string> ConnectFilesystemRepository(string path) =>
        [program, "repository", "connect", "filesystem", "--path", Value(path, "repository path"), "--no-check-for-updates"];

    /// <summary>
    /// `snapshot create --json`: one manifest line on stdout. --no-progress keeps the progress
    /// lines out of stderr, whose tail is all the runner keeps and where Kopia's error is.
    /// </summary>
    public IReadOnlyList<string> CreateSnapshot(string sourcePath, IReadOnlyDictionary<string, string> tags, string? stdinFileName = null)
    {
        var args = new List<string> { program, "snapshot", "create", Value(sourcePath, "source path"), "--json", "--no-progress" };
        if (stdinFileName is not null)
        {
            args.Add("--stdin-file");
            args.Add(FileName(stdinFileName));
        }

        // Sorted so that the command line is the same for the same tags.
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            args.Add("--tags");
            args.Add(TagKey(key) + ":" + value);
        }

        return args;
    }

    /// <summary>
    /// JSON mode has listed every user and host since --json came to the command (kopia#910); the
    /// filter --all lifts is in the text output only (cli/command_snapshot_list.go). --all changes
    /// nothing here but states the intent.
    /// </summary>
    public IReadOnlyList<string> ListSnapshots() => [program, "snapshot", "list", "--json", "--all"];

    /// <summary>The whole tree in one run; --no-error-summary keeps " (N errors)" off directory names.</summary>
    public IReadOnlyList<string> ListFiles(string snapshotId) =>
        [program, "ls", "-l", "-r", "--no-error-summary", Value(snapshotId, "snapshot id")];

    /// <summary>
    /// Restore onto the source path, replacing what is there; atomic writes so that an interrupted
    /// restore leaves whole files (old or new), never half-written ones.
    /// </summary>
    public IReadOnlyList<string> Restore(string snapshotId, string targetPath) =>
    [
        program, "snapshot", "restore", Value(snapshotId, "snapshot id"), Value(targetPath, "target path"),
        "--overwrite-files", "--overwrite-directories", "--overwrite-symlinks", "--write-files-atomically", "--no-progress",
    ];

    /// <summary>`kopia show` takes an object id, optionally followed by a path inside it (snapshotfs.ParseObjectIDWithPath).</summary>
    public IReadOnlyList<string> Show(string rootObject, string fileName) =>
        [program, "show", Value(rootObject, "root object") + "/" + fileName.TrimStart('/')];

    public IReadOnlyList<string> Verify(string snapshotId) =>
        [program, "snapshot", "verify", Value(snapshotId, "snapshot id"), "--verify-files-percent", "100", "--json"];

    /// <summary>The source's ignore rules replaced by <paramref name="patterns"/> (gitignore-style, as Kopia's policy reads them).</summary>
    public IReadOnlyList<string> SetIgnores(string sourcePath, IReadOnlyList<string> patterns) =>
        [program, "policy", "set", Value(sourcePath, "source path"), "--clear-ignore", .. patterns.SelectMany(p => new[] { "--add-ignore", Value(p, "ignore pattern") })];

    /// <summary>Only the rules given; null means leave Kopia's value alone. Empty when there is nothing to set (Kopia would say "no changes specified").</summary>
    public IReadOnlyList<string> SetGlobalRetention(RetentionPolicy policy)
    {
        var args = new List<string>();
        Add("--keep-latest", policy.KeepLatest);
        Add("--keep-hourly", policy.KeepHourly);
        Add("--keep-daily", policy.KeepDaily);
        Add("--keep-weekly", policy.KeepWeekly);
        Add("--keep-monthly", policy.KeepMonthly);
        Add("--keep-annual", policy.KeepAnnual);
        return args.Count == 0 ? [] : [program, "policy", "set", "--global", .. args];

        void Add(string flag, int? value)
        {
            if (value is { } n)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(n, flag);
                args.Add(flag);
                args.Add(n.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private static string Value(string value, string what)
    {
        if (string.IsNullOrEmpty(value) || value[0] == '-')
        {
            throw new ArgumentException($"A Kopia {what} must not be empty or start with '-': '{value}'.", nameof(value));
        }

        return value;
    }

    private static string FileName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name[0] == '-')
        {
            throw new ArgumentException($"A snapshot file name must be one name that does not start with '-': '{name}'.", nameof(name));
        }

        return name;
    }

    // Kopia splits a tag at its first ':' (getTags), so a key cannot hold one.
    private static string TagKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Contains(':') || key[0] == '-')
        {
            throw new ArgumentException($"A Kopia tag key must not be empty, contain ':' or start with '-': '{key}'.", nameof(key));
        }

        return key;
    }
}
