using System.Globalization;
using Datamancy.Stack;

namespace Datamancy.Security.Secrets;

/// <summary>
/// The .env file being rotated: its text as last written, and a backup (mode 600) taken once,
/// before the first change, so every state it goes through is recoverable from disk.
/// </summary>
public sealed class EnvFileState
{
    private readonly Func<DateTimeOffset> _clock;

    public EnvFileState(string path, Func<DateTimeOffset>? clock = null)
    {
        FilePath = path;
        Text = File.ReadAllText(path);
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    public string FilePath { get; }

    public string Text { get; private set; }

    /// <summary>The backup written before the first change; null until then.</summary>
    public string? Backup { get; private set; }

    public IReadOnlyDictionary<string, string> Values => DotEnvFile.Parse(FilePath, Text, _ => null);

    /// <summary>Replaces the file atomically (mode 600), backing up the original first.</summary>
    public void Write(string text)
    {
        Backup ??= WriteBackup();
        Files.PrivateFile.WriteAllText(FilePath, text);
        Text = text;
    }

    // .env.20261126T044800123Z.bak beside .env; a suffix keeps two backups of the same millisecond apart.
    private string WriteBackup()
    {
        var stamp = _clock().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var directory = Path.GetDirectoryName(FilePath)!;
        var name = Path.GetFileName(FilePath);
        var backup = Path.Combine(directory, $"{name}.{stamp}.bak");
        for (var n = 1; File.Exists(backup); n++)
        {
            backup = Path.Combine(directory, $"{name}.{stamp}-{n}.bak");
        }

        Files.PrivateFile.WriteAllText(backup, Text);
        return backup;
    }
}
