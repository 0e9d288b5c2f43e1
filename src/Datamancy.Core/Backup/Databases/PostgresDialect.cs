using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>
/// PostgreSQL: a plain SQL dump of POSTGRES_DB by pg_dump, loaded by psql, both as POSTGRES_USER
/// over the local socket, which the official image (and the test image) trusts: no password at all.
/// </summary>
public sealed class PostgresDialect : DatabaseDialect
{
    // PGUSER and PGDATABASE are what pg_dump and psql read; the defaults are the official image's.
    private const string Login = """
        set -eu
        PGUSER=${POSTGRES_USER:-postgres}
        PGDATABASE=${POSTGRES_DB:-$PGUSER}
        export PGUSER PGDATABASE

        """;

    // --clean --if-exists: every object is dropped (if there) before it is created, so the same
    // dump loads into the empty POSTGRES_DB of a fresh container and over live data (-Force).
    // --no-owner --no-privileges: the objects belong to whoever loads, POSTGRES_USER, the apps'
    // only role; roles are not in a database dump, so an owner or a grant naming another role
    // would stop a load into a fresh container. No --create: the database itself is the container's.
    private const string Dump = Login + """
        exec pg_dump --format=plain --clean --if-exists --no-owner --no-privileges
        """;

    // One transaction: a load that fails leaves the database as it was. Query results (the
    // dump's set_config and setval) go nowhere; errors still go to standard error.
    private const string Load = Login + """
        exec psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --single-transaction --output=/dev/null
        """;

    // count(*) per table through query_to_xml, in one statement; COPY's text format escapes tabs,
    // newlines and backslashes in the names. Partitioned tables count their partitions' rows too.
    private const string Count = Login + """
        exec psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --command="COPY (
          SELECT n.nspname || '.' || c.relname,
                 (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
          ORDER BY 1
        ) TO STDOUT"
        """;

    public override ServerKind Kind => ServerKind.Postgres;

    public override IReadOnlyList<string> DumpCommand { get; } = ["sh", "-c", Dump];

    public override IReadOnlyList<string> LoadCommand { get; } = ["sh", "-c", Load];

    public override IReadOnlyList<string> CountCommand { get; } = ["sh", "-c", Count];

    protected override string DumpExtension => ".sql";
}
