using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>
/// MariaDB (and MySQL): an SQL dump of the application databases with mariadb-dump, loaded with the
/// mariadb client, both logged in as root with MARIADB_ROOT_PASSWORD passed as MYSQL_PWD.
/// </summary>
public sealed class MariaDbDialect : DatabaseDialect
{
    // The client tools read the password from MYSQL_PWD: it is in no argv that ps shows. Images of
    // MariaDB 11 have only the mariadb-* names; MySQL and older MariaDB images have mysql*.
    private const string Login = """
        set -eu
        MYSQL_PWD=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
        export MYSQL_PWD
        cli=$(command -v mariadb || command -v mysql) || { echo 'neither mariadb nor mysql is in this container' >&2; exit 127; }

        """;

    // Only the application databases, not the mysql schema: it holds the server's own accounts
    // (root with the container's MARIADB_ROOT_PASSWORD, the image's healthcheck user), which a fresh
    // container creates from its own environment; loading the old copy over them would break root's
    // login after a password rotation and the health check. The application users are created by
    // the init scripts (configs/mariadb/initdb) from the same environment. --add-drop-database makes
    // a load over live data exact (tables that were added since the dump go too). Names are split on
    // newlines only, so a database name with a space or a quote stays one argument.
    private const string Dump = Login + """
        dump=$(command -v mariadb-dump || command -v mysqldump) || { echo 'neither mariadb-dump nor mysqldump is in this container' >&2; exit 127; }
        dbs=$("$cli" --user=root --batch --skip-column-names --raw -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME")
        if [ -z "$dbs" ]; then
          echo '-- no application databases'
          exit 0
        fi
        IFS='
        '
        set -f
        set -- $dbs
        set +f
        unset IFS
        exec "$dump" --user=root --single-transaction --routines --triggers --events --hex-blob --add-drop-database --databases -- "$@"
        """;

    private const string Load = Login + """
        exec "$cli" --user=root
        """;

    // COUNT(*) per table, not information_schema.TABLES.TABLE_ROWS, which InnoDB only estimates. The
    // first client writes one statement per table (names quoted by QUOTE and doubled backticks), the
    // second runs them; its batch output escapes tabs, newlines and backslashes in the names.
    private const string Count = Login + """
        sql=$("$cli" --user=root --batch --skip-column-names --raw <<'SQL'
        SELECT CONCAT('SELECT ', QUOTE(CONCAT(TABLE_SCHEMA, '.', TABLE_NAME)), ', COUNT(*) FROM `',
                      REPLACE(TABLE_SCHEMA, '`', '``'), '`.`', REPLACE(TABLE_NAME, '`', '``'), '`;')
        FROM information_schema.TABLES
        WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
          AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')
        ORDER BY TABLE_SCHEMA, TABLE_NAME;
        SQL
        )
        [ -n "$sql" ] || exit 0
        printf '%s\n' "$sql" | "$cli" --user=root --batch --skip-column-names
        """;

    public override ServerKind Kind => ServerKind.MariaDb;

    public override IReadOnlyList<string> DumpCommand { get; } = ["sh", "-c", Dump];

    public override IReadOnlyList<string> LoadCommand { get; } = ["sh", "-c", Load];

    public override IReadOnlyList<string> CountCommand { get; } = ["sh", "-c", Count];

    protected override string DumpExtension => ".sql";
}
