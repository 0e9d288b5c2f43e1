using Datamancy.Errors;

namespace Datamancy.Backup.Kopia;

/// <summary>
/// Turns a failed Kopia run into a DatamancyException. Kopia prints its error as a plain line on
/// stderr and exits 1 for every failure (cli/app.go), so the kind of failure is read from the
/// words Kopia uses (cli/config.go, repo/format, snapshot/manager.go). Every text taken from Kopia
/// is scrubbed of the values of the environment the engine passes (the repository password first).
/// </summary>
internal sealed class KopiaErrors(IReadOnlyDictionary<string, string> environment)
{
    private const int MaxLines = 5;
    private const int MaxLength = 800;

    // Values shorter than this are only scrubbed under a secret-looking name: scrubbing every "1" or
    // "true" would mangle counts in Kopia's messages, and such values are not secrets.
    private const int MinPlainValueLength = 4;

    private static readonly string[] SecretNameParts = ["PASSWORD", "SECRET", "TOKEN", "KEY", "CREDENTIAL"];

    private static readonly string[] ProblemWords =
        ["error", "unable", "invalid", "cannot", "can't", "not connected", "not found", "failed", "denied", "no space"];

    private readonly string[] _secrets = environment
        .Where(p => p.Value.Length >= MinPlainValueLength || (p.Value.Length > 0 && SecretNameParts.Any(s => p.Key.Contains(s, StringComparison.OrdinalIgnoreCase))))
        .Select(p => p.Value)
        .OrderByDescending(v => v.Length)
        .ToArray();

    public string Scrub(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>What Kopia said about the problem: its last lines that name one (or its last lines), scrubbed, on one line.</summary>
    public string Said(string stderr)
    {
        var lines = stderr.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var problems = lines.Where(l => ProblemWords.Any(w => l.Contains(w, StringComparison.OrdinalIgnoreCase))).ToArray();
        var chosen = (problems.Length > 0 ? problems : lines).TakeLast(MaxLines);
        var said = Scrub(string.Join(" | ", chosen));
        return said.Length > MaxLength ? said[..MaxLength] + "..." : said;
    }

    /// <summary>
    /// The exception for a run that failed: the repository's state when Kopia says so, a missing
    /// snapshot or file when Kopia says so, otherwise <paramref name="errorId"/> with Kopia's words.
    /// </summary>
    public DatamancyException Failure(string what, ToolOutput output, string errorId, object? target = null)
    {
        var said = Said(output.StandardError.Length > 0 ? output.StandardError : output.StandardOutput);
        var detail = said.Length > 0 ? $" Kopia said: {said}" : $" Kopia exited with code {output.ExitCode} and printed nothing.";
        var text = output.StandardError + "\n" + output.StandardOutput;

        if (IsNotConnected(output))
        {
            return NotConnected(what, detail);
        }

        if (Has(text, "invalid repository password") || Has(text, "get password"))
        {
            return new DatamancyException(ErrorIds.BackupRepositoryUnavailable, ErrorKind.PermissionDenied,
                $"Cannot {what}: Kopia could not open the repository with the password it was given, or was given none. " +
                "Set the repository password (KOPIA_PASSWORD in the stack's .env) to the one the repository was created with." + detail, target);
        }

        if (Has(text, "unable to open repository") || Has(text, "can't connect to storage"))
        {
            return new DatamancyException(ErrorIds.BackupRepositoryUnavailable, ErrorKind.ResourceUnavailable,
                $"Cannot {what}: Kopia could not open the repository. Check that its storage is mounted and reachable." + detail, target);
        }

        // An id that loads no snapshot manifest is taken for a file's object id (snapshotfs.FindSnapshotByRootObjectIDOrManifestID),
        // so `kopia ls` of a missing snapshot says "is not a directory object".
        if (Has(text, "snapshot not found") || Has(text, "object not found") || Has(text, "entry not found")
            || Has(text, "requested snapshot IDs") || Has(text, "is not a directory object"))
        {
            return new DatamancyException(ErrorIds.BackupSnapshotNotFound, ErrorKind.ObjectNotFound,
                $"Cannot {what}: the repository has no such snapshot or file." + detail, target);
        }

        return new DatamancyException(errorId, ErrorKind.InvalidOperation, $"Cannot {what}." + detail, target);
    }

    /// <summary>No repository.config (cli/config.go): the one failure EnsureRepository can mend by creating the repository.</summary>
    public static bool IsNotConnected(ToolOutput output) =>
        Has(output.StandardError, "repository is not connected") || Has(output.StandardError, "not connected to a repository");

    public static DatamancyException NotConnected(string what, string detail = "") =>
        new(ErrorIds.BackupRepositoryUnavailable, ErrorKind.ResourceUnavailable,
            $"Cannot {what}: Kopia is not connected to a repository. Start the stack's kopia service (profile backup), which connects it, " +
            "or connect it with 'kopia repository connect ...' where the module runs Kopia." + detail);

    /// <summary>Output that is not what Kopia prints (another program, another version): say so with its first words.</summary>
    public DatamancyException Unreadable(string what, string stdout, Exception inner) =>
        new(ErrorIds.BackupToolFailed, ErrorKind.InvalidData,
            $"Cannot {what}: Kopia's output could not be read ({Scrub(inner.Message)}). Output began: '{Scrub(Head(stdout))}'.", null, inner);

    private static string Head(string text) => text.Length > 200 ? text[..200] + "..." : text;

    private static bool Has(string text, string words) => text.Contains(words, StringComparison.OrdinalIgnoreCase);
}
