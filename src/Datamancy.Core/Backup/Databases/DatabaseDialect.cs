using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>What every dialect shares: the dump's file name from its extension, and the one count parser.</summary>
public abstract class DatabaseDialect : IDatabaseDialect
{
    public abstract ServerKind Kind { get; }

    public abstract IReadOnlyList<string> DumpCommand { get; }

    public abstract IReadOnlyList<string> LoadCommand { get; }

    public abstract IReadOnlyList<string> CountCommand { get; }

    public virtual string? DataFilePath => null;

    /// <summary>".sql", ".archive", ".rdb" ...</summary>
    protected abstract string DumpExtension { get; }

    public string DumpFileName(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return service + DumpExtension;
    }

    public IReadOnlyDictionary<string, long> ParseCounts(string output) => CountLines.Parse(output, Kind);
}
