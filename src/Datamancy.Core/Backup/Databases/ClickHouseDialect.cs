using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>
/// ClickHouse: an SQL script (databases, then per object DROP, SHOW CREATE and its rows as
/// INSERT ... VALUES), loaded by clickhouse-client --multiquery. clickhouse-client (22.3+) logs in
/// with CLICKHOUSE_USER and CLICKHOUSE_PASSWORD from its environment, which are the official
/// image's own variables, so no command here names a user or a password.
/// </summary>
public sealed class ClickHouseDialect : IDatabaseDialect
{
    private const string Objects = """
        set -eu
        ch() { clickhouse-client "$@" </dev/null; }
        system="database NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA')"
        views="('View', 'MaterializedView', 'LiveView', 'WindowView')"
        dictionary="(database, name) IN (SELECT database, name FROM system.dictionaries)"
        stored="(engine LIKE '%MergeTree' OR engine IN ('Log', 'TinyLog', 'StripeLog', 'Memory'))"
        objects="FROM system.tables WHERE $system AND NOT is_temporary AND NOT startsWith(name, '.inner')"

        """;

    // Drops first, views before dictionaries before tables, so nothing being dropped is still
    // referenced by a view of the dump; then creates in the other order, each table followed by its
    // rows. A materialized view's inner table (.inner*) is made by its CREATE, not dumped: only the
    // rows of a view's TO table survive. The rows are one INSERT per table, written only when the
    // table has rows (an INSERT without data would read the rest of the script as its data). The
    // exit code of the SELECT is carried out through descriptor 3, since sh has no pipefail.
    private const string Dump = Objects + """
        exec 4>&1
        echo '-- ClickHouse dump: databases, drops, then each object with its rows'
        ch --format=TSVRaw --query "SELECT 'CREATE DATABASE IF NOT EXISTS ' || backQuote(name) || ';' FROM system.databases WHERE name NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA') ORDER BY name"
        ch --format=TSVRaw --query "SELECT 'DROP ' || multiIf(engine IN $views, 'VIEW', $dictionary, 'DICTIONARY', 'TABLE') || ' IF EXISTS ' || backQuote(database) || '.' || backQuote(name) || ' SYNC;' $objects ORDER BY multiIf(engine IN $views, 0, $dictionary, 1, 2), database, name"
        list=$(ch --format=TSVRaw --query "SELECT backQuote(database) || '.' || backQuote(name), if($dictionary, 'DICTIONARY', 'TABLE'), $stored $objects ORDER BY multiIf(engine IN $views, 2, $dictionary, 1, 0), database, name")
        rows() {
          first=$(dd bs=1 count=1 2>/dev/null)
          [ -n "$first" ] || return 0
          printf 'INSERT INTO %s VALUES %s' "$1" "$first"
          cat
          printf ';\n'
        }
        tab=$(printf '\t')
        IFS='
        '
        set -f
        for line in $list; do
          name=${line%%"$tab"*}
          rest=${line#*"$tab"}
          kind=${rest%%"$tab"*}
          data=${rest#*"$tab"}
          ch --format=TSVRaw --query "SHOW CREATE $kind $name"
          echo ';'
          if [ "$data" = 1 ]; then
            status=$( { { ch --query "SELECT * FROM $name FORMAT Values"; echo $? >&3; } | rows "$name" >&4; } 3>&1 )
            [ "$status" = 0 ] || { echo "reading the rows of $name failed" >&2; exit 1; }
          fi
        done
        """;

    // count() per table that stores rows; the label is the name as a string literal, which
    // TabSeparated output then escapes like the other dialects' clients (\\, \t, \n).
    private const string Count = Objects + """
        list=$(ch --format=TSVRaw --query "SELECT backQuote(database) || '.' || backQuote(name), quoteString(database || '.' || name) $objects AND $stored ORDER BY database, name")
        tab=$(printf '\t')
        IFS='
        '
        set -f
        for line in $list; do
          ch --format=TabSeparated --query "SELECT ${line#*"$tab"}, count() FROM ${line%%"$tab"*}"
        done
        """;

    public ServerKind Kind => ServerKind.ClickHouse;

    public IReadOnlyList<string> DumpCommand { get; } = ["sh", "-c", Dump];

    public IReadOnlyList<string> LoadCommand { get; } = ["clickhouse-client", "--multiquery"];

    public string? DataFilePath => null;

    public IReadOnlyList<string> CountCommand { get; } = ["sh", "-c", Count];

    public string DumpFileName(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return service + ".sql";
    }

    public IReadOnlyDictionary<string, long> ParseCounts(string output) => CountLines.Parse(output, Kind);
}
