using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>
/// ClickHouse: an SQL script (databases, then per object DROP, SHOW CREATE and its rows as
/// INSERT ... VALUES), loaded by clickhouse-client --multiquery. clickhouse-client (22.3+) logs in
/// with CLICKHOUSE_USER and CLICKHOUSE_PASSWORD from its environment, which are the official
/// image's own variables, so no command here names a user or a password.
/// </summary>
public sealed class ClickHouseDialect : DatabaseDialect
{
    // ClickHouse has no SQL function that quotes an identifier, so the lists build them: backslash,
    // backtick, newline and tab escaped, which also keeps every name on one line of TSVRaw output.
    // The SQL sits in quoted here-documents, where sh changes nothing; each list's ORDER BY is
    // appended. A materialized view's inner table (.inner*) is made by the view's CREATE.
    private const string Objects = """
        set -eu
        tab=$(printf '\t')
        objects() {
          { cat <<'SQL'
        SELECT ('`' || replaceAll(replaceAll(replaceAll(replaceAll(database, '\\', '\\\\'), '`', '\\`'), '\n', '\\n'), '\t', '\\t') || '`.`'
                    || replaceAll(replaceAll(replaceAll(replaceAll(name, '\\', '\\\\'), '`', '\\`'), '\n', '\\n'), '\t', '\\t') || '`') AS quoted,
               multiIf(engine IN ('View', 'MaterializedView', 'LiveView', 'WindowView'), 'VIEW',
                       (database, name) IN (SELECT database, name FROM system.dictionaries), 'DICTIONARY', 'TABLE') AS kind,
               (engine LIKE '%MergeTree' OR engine IN ('Log', 'TinyLog', 'StripeLog', 'Memory')) AS stored,
               replaceAll(replaceAll(replaceAll(database || '.' || name, '\\', '\\\\'), '\t', '\\t'), '\n', '\\n') AS label
        FROM system.tables
        WHERE database NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA') AND NOT is_temporary AND NOT startsWith(name, '.inner')
        SQL
            printf '%s\n' "$1"; } | clickhouse-client --format=TSVRaw
        }

        """;

    // Drops first, views before dictionaries before tables, so nothing dropped is still used by a
    // view of the dump; then creates in the other order, each table followed by its rows (only the
    // rows of a view's TO table survive). One INSERT per table, and none for an empty table: an
    // INSERT without data would read the rest of the script as its rows. The SELECT's exit code
    // comes out through descriptor 3, since sh has no pipefail.
    private const string Dump = Objects + """
        exec 4>&1
        echo '-- ClickHouse dump: databases, drops, then each object with its rows'
        clickhouse-client --format=TSVRaw <<'SQL'
        SELECT 'CREATE DATABASE IF NOT EXISTS `' || replaceAll(replaceAll(replaceAll(replaceAll(name, '\\', '\\\\'), '`', '\\`'), '\n', '\\n'), '\t', '\\t') || '`;'
        FROM system.databases
        WHERE name NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA')
        ORDER BY name
        SQL
        drops=$(objects "ORDER BY kind = 'TABLE', kind = 'DICTIONARY', database, name")
        creates=$(objects "ORDER BY kind = 'VIEW', kind = 'DICTIONARY', database, name")
        rows() {
          first=$(dd bs=1 count=1 2>/dev/null)
          [ -n "$first" ] || return 0
          printf 'INSERT INTO %s VALUES %s' "$1" "$first"
          cat
          printf ';\n'
        }
        IFS='
        '
        set -f
        for line in $drops; do
          name=${line%%"$tab"*}
          rest=${line#*"$tab"}
          printf 'DROP %s IF EXISTS %s SYNC;\n' "${rest%%"$tab"*}" "$name"
        done
        for line in $creates; do
          name=${line%%"$tab"*}
          rest=${line#*"$tab"}
          kind=${rest%%"$tab"*}
          rest=${rest#*"$tab"}
          [ "$kind" = DICTIONARY ] || kind=TABLE
          clickhouse-client --format=TSVRaw --query "SHOW CREATE $kind $name" </dev/null
          echo ';'
          if [ "${rest%%"$tab"*}" = 1 ]; then
            status=$( { { clickhouse-client --query "SELECT * FROM $name FORMAT Values" </dev/null; echo $? >&3; } | rows "$name" >&4; } 3>&1 )
            [ "$status" = 0 ] || { echo "reading the rows of $name failed" >&2; exit 1; }
          fi
        done
        """;

    // count() per table that stores rows, printed against the name escaped like the other
    // dialects' clients escape it (\\, \t, \n).
    private const string Count = Objects + """
        list=$(objects "ORDER BY database, name")
        IFS='
        '
        set -f
        for line in $list; do
          name=${line%%"$tab"*}
          rest=${line#*"$tab"*"$tab"}
          [ "${rest%%"$tab"*}" = 1 ] || continue
          rows=$(clickhouse-client --query "SELECT count() FROM $name" </dev/null)
          printf '%s\t%s\n' "${rest#*"$tab"}" "$rows"
        done
        """;

    public override ServerKind Kind => ServerKind.ClickHouse;

    public override IReadOnlyList<string> DumpCommand { get; } = ["sh", "-c", Dump];

    public override IReadOnlyList<string> LoadCommand { get; } = ["clickhouse-client", "--multiquery"];

    public override IReadOnlyList<string> CountCommand { get; } = ["sh", "-c", Count];

    protected override string DumpExtension => ".sql";
}
