using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>
/// How to dump, load and count one kind of database server from inside its own container. Every
/// command is an argv run through the engine's exec API in that container; credentials are read
/// there from the container's own environment (the variables the official images use), so no
/// secret is in an argv, a message or a file.
/// </summary>
public interface IDatabaseDialect
{
    ServerKind Kind { get; }

    /// <summary>The file name of the dump in the snapshot: "&lt;service&gt;.sql", ".archive", ".rdb" ...</summary>
    string DumpFileName(string service);

    /// <summary>Writes a consistent dump of every database to standard output.</summary>
    IReadOnlyList<string> DumpCommand { get; }

    /// <summary>Reads a dump made by DumpCommand from standard input into the (running, empty or live) server.</summary>
    IReadOnlyList<string> LoadCommand { get; }

    /// <summary>
    /// For servers that load a dump only from their data file at start (Redis's RDB): the path the
    /// dump is put at, in a created but not yet started container. Null when LoadCommand loads it
    /// into a running server.
    /// </summary>
    string? DataFilePath { get; }

    /// <summary>Prints one line per table (collection, keyspace): "&lt;name&gt;\t&lt;exact row count&gt;".</summary>
    IReadOnlyList<string> CountCommand { get; }

    /// <summary>Parses CountCommand's output into name -> rows, sorted by name.</summary>
    IReadOnlyDictionary<string, long> ParseCounts(string output);
}
