using System.Diagnostics;
using System.Text.RegularExpressions;
using Datamancy.Backup.Databases;
using Datamancy.Errors;
using Datamancy.Security;

namespace Datamancy.Tests.Backup;

/// <summary>
/// The dialects' commands as data: argv shapes, the options a restore depends on, no secret in any
/// argv, and the count parser. The commands themselves were run against real MariaDB, PostgreSQL
/// and Redis servers from Debian's packages; MongoDB and ClickHouse have no server here, so for
/// them these tests are all there is.
/// </summary>
public sealed class DatabaseDialectTests
{
    public static TheoryData<ServerKind> DatabaseKinds => [ServerKind.MariaDb, ServerKind.Postgres, ServerKind.Mongo, ServerKind.Redis, ServerKind.ClickHouse];

    private static IDatabaseDialect Dialect(ServerKind kind) => DatabaseDialects.For(kind) ?? throw new InvalidOperationException($"no dialect for {kind}");

    private static string Script(IReadOnlyList<string> command)
    {
        Assert.Equal(["sh", "-c"], command.Take(2));
        Assert.Equal(3, command.Count);
        return command[2];
    }

    private static IEnumerable<IReadOnlyList<string>> Commands(IDatabaseDialect dialect) => [dialect.DumpCommand, dialect.LoadCommand, dialect.CountCommand];

    [Theory]
    [InlineData(ServerKind.MariaDb, typeof(MariaDbDialect))]
    [InlineData(ServerKind.Postgres, typeof(PostgresDialect))]
    [InlineData(ServerKind.Mongo, typeof(MongoDialect))]
    [InlineData(ServerKind.Redis, typeof(RedisDialect))]
    [InlineData(ServerKind.ClickHouse, typeof(ClickHouseDialect))]
    public void Each_database_kind_has_its_dialect(ServerKind kind, Type type)
    {
        var dialect = DatabaseDialects.For(kind);
        Assert.IsType(type, dialect);
        Assert.Equal(kind, dialect!.Kind);
        Assert.Same(dialect, DatabaseDialects.For(kind));
    }

    [Theory]
    [InlineData(ServerKind.Ldap)]
    [InlineData(ServerKind.Other)]
    public void Servers_that_are_not_databases_have_none(ServerKind kind) => Assert.Null(DatabaseDialects.For(kind));

    [Theory]
    [InlineData(ServerKind.MariaDb, "mariadb.sql")]
    [InlineData(ServerKind.Postgres, "paperless-postgres.sql")]
    [InlineData(ServerKind.Mongo, "mongodb.archive")]
    [InlineData(ServerKind.Redis, "outline-redis.rdb")]
    [InlineData(ServerKind.ClickHouse, "clickhouse.sql")]
    public void Dump_file_names_carry_the_service_and_the_format(ServerKind kind, string expected)
    {
        var service = expected[..expected.IndexOf('.')];
        Assert.Equal(expected, Dialect(kind).DumpFileName(service));
        Assert.ThrowsAny<ArgumentException>(() => Dialect(kind).DumpFileName(" "));
    }

    [Fact]
    public void Only_redis_loads_from_a_data_file_and_it_goes_where_an_appendonly_server_reads_it()
    {
        var redis = Dialect(ServerKind.Redis);
        Assert.Equal("/data/appendonly.aof", redis.DataFilePath);
        Assert.Empty(redis.LoadCommand);
        foreach (var kind in new[] { ServerKind.MariaDb, ServerKind.Postgres, ServerKind.Mongo, ServerKind.ClickHouse })
        {
            Assert.Null(Dialect(kind).DataFilePath);
            Assert.NotEmpty(Dialect(kind).LoadCommand);
        }
    }

    [Fact]
    public void MariaDb_dumps_the_application_databases_consistently_with_everything_a_restore_needs()
    {
        var dialect = Dialect(ServerKind.MariaDb);
        var dump = Script(dialect.DumpCommand);
        Assert.Contains("\"$dump\" --user=root --single-transaction --routines --triggers --events --hex-blob --add-drop-database --databases -- \"$@\"", dump);
        Assert.Contains("command -v mariadb-dump || command -v mysqldump", dump);
        Assert.Contains("SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')", dump);
        Assert.DoesNotContain("--all-databases", dump);

        foreach (var command in Commands(dialect))
        {
            var script = Script(command);
            Assert.StartsWith("set -eu\nMYSQL_PWD=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}\nexport MYSQL_PWD\n", script);
            Assert.Contains("command -v mariadb || command -v mysql", script);
        }

        Assert.EndsWith("exec \"$cli\" --user=root", Script(dialect.LoadCommand));
        var count = Script(dialect.CountCommand);
        Assert.Contains("COUNT(*) FROM `'", count);
        Assert.Contains("TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')", count);
        Assert.DoesNotContain("TABLE_ROWS", count);
    }

    [Fact]
    public void Postgres_dumps_plain_sql_that_loads_into_a_fresh_or_a_live_database_in_one_transaction()
    {
        var dialect = Dialect(ServerKind.Postgres);
        foreach (var command in Commands(dialect))
        {
            Assert.StartsWith("set -eu\nPGUSER=${POSTGRES_USER:-postgres}\nPGDATABASE=${POSTGRES_DB:-$PGUSER}\nexport PGUSER PGDATABASE\n", Script(command));
        }

        Assert.EndsWith("\nexec pg_dump --format=plain --clean --if-exists --no-owner --no-privileges", Script(dialect.DumpCommand));
        Assert.EndsWith("\nexec psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --single-transaction --output=/dev/null", Script(dialect.LoadCommand));
        var count = Script(dialect.CountCommand);
        Assert.Contains("query_to_xml(format('SELECT count(*) AS n FROM %I.%I'", count);
        Assert.Contains(") TO STDOUT\"", count);
        Assert.DoesNotContain("reltuples", count);
    }

    [Fact]
    public void Redis_copies_the_rdb_of_a_finished_bgsave_and_counts_keys_per_database()
    {
        var dialect = Dialect(ServerKind.Redis);
        var dump = Script(dialect.DumpCommand);
        Assert.Contains("redis-cli BGSAVE SCHEDULE", dump);
        Assert.Contains("if [ \"$busy\" = 0 ] && [ \"$saves\" -gt \"$before\" ]; then break; fi", dump);
        Assert.Contains("[ \"$status\" = ok ]", dump);
        Assert.Contains("redis-cli CONFIG GET dir", dump);
        Assert.Contains("redis-cli CONFIG GET dbfilename", dump);
        Assert.EndsWith("exec cat -- \"$dir/$file\"", dump);

        var count = Script(dialect.CountCommand);
        Assert.Contains("redis-cli INFO keyspace", count);
        Assert.Contains("'/^db[0-9]+:keys=/ { print $1 \"\\t\" $3 }'", count);
    }

    [Fact]
    public void Mongo_passes_the_password_through_a_config_pipe_and_keeps_the_servers_own_users()
    {
        var dialect = Dialect(ServerKind.Mongo);
        var dump = Script(dialect.DumpCommand);
        Assert.Contains("password | mongodump --archive --username=\"$MONGO_INITDB_ROOT_USERNAME\" --authenticationDatabase=admin --config=/dev/stdin", dump);

        var load = Script(dialect.LoadCommand);
        Assert.Contains("set -- --archive --drop --stopOnError --nsExclude='admin.system.*' --nsExclude='config.*'", load);
        Assert.Contains("exec 4<&0\npassword | mongorestore \"$@\" --username=\"$MONGO_INITDB_ROOT_USERNAME\" --authenticationDatabase=admin --config=/dev/fd/3 3<&0 0<&4 4<&-", load);
        foreach (var script in new[] { dump, load })
        {
            Assert.Contains("printf \"password: '%s'\\n\" \"$(printf '%s' \"${MONGO_INITDB_ROOT_PASSWORD:-}\" | sed \"s/'/''/g\")\"", script);
        }

        var count = dialect.CountCommand;
        Assert.Equal(["mongosh", "--quiet", "--norc", "--eval"], count.Take(4));
        Assert.Equal(5, count.Count);
        Assert.Contains("auth(user, process.env.MONGO_INITDB_ROOT_PASSWORD || '')", count[4]);
        Assert.Contains("countDocuments({})", count[4]);
        Assert.DoesNotContain("estimatedDocumentCount(", count[4]);
    }

    [Fact]
    public void ClickHouse_writes_a_script_of_create_and_insert_statements_for_multiquery()
    {
        var dialect = Dialect(ServerKind.ClickHouse);
        Assert.Equal(["clickhouse-client", "--multiquery"], dialect.LoadCommand);
        var dump = Script(dialect.DumpCommand);
        Assert.Contains("printf 'DROP %s IF EXISTS %s SYNC;\\n'", dump);
        Assert.Contains("clickhouse-client --format=TSVRaw --query \"SHOW CREATE $kind $name\" </dev/null", dump);
        Assert.Contains("clickhouse-client --query \"SELECT * FROM $name FORMAT Values\" </dev/null; echo $? >&3; } | rows \"$name\" >&4; } 3>&1 )", dump);
        Assert.Contains("printf 'INSERT INTO %s VALUES %s' \"$1\" \"$first\"", dump);
        Assert.Contains("drops=$(objects \"ORDER BY kind = 'TABLE', kind = 'DICTIONARY', database, name\")", dump);
        Assert.Contains("creates=$(objects \"ORDER BY kind = 'VIEW', kind = 'DICTIONARY', database, name\")", dump);

        // Identifiers are quoted by the list itself: backslash, backtick, newline and tab escaped.
        const string Quote = "replaceAll(replaceAll(replaceAll(replaceAll(name, '\\\\', '\\\\\\\\'), '`', '\\\\`'), '\\n', '\\\\n'), '\\t', '\\\\t')";
        foreach (var script in new[] { dump, Script(dialect.CountCommand) })
        {
            Assert.Contains(Quote, script);
            Assert.Contains("WHERE database NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA') AND NOT is_temporary AND NOT startsWith(name, '.inner')", script);
            Assert.DoesNotContain("--password", script);
        }

        Assert.Contains("rows=$(clickhouse-client --query \"SELECT count() FROM $name\" </dev/null)", Script(dialect.CountCommand));
    }

    [Theory]
    [MemberData(nameof(DatabaseKinds))]
    public void No_argv_holds_a_secret(ServerKind kind)
    {
        foreach (var command in Commands(Dialect(kind)))
        {
            Assert.Empty(SecretLookingParts(command));
        }
    }

    [Fact]
    public void The_secret_check_finds_secrets()
    {
        Assert.NotEmpty(SecretLookingParts(["mariadb-dump", "--password=hunter2"]));
        Assert.NotEmpty(SecretLookingParts(["sh", "-c", "MYSQL_PWD=hunter2 mariadb"]));
        Assert.NotEmpty(SecretLookingParts(["sh", "-c", "redis-cli -a \"$REDISCLI_AUTH\" INFO"]));
        Assert.NotEmpty(SecretLookingParts(["mongodump", "--uri=mongodb://root:pw@localhost/"]));
        Assert.NotEmpty(SecretLookingParts(["psql", "-c", "SELECT 1", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]));
        Assert.NotEmpty(SecretLookingParts(["sh", "-c", "clickhouse-client --password \"$CLICKHOUSE_PASSWORD\""]));
    }

    /// <summary>Password options, credentials in URIs, literal assignments of password variables, long hex strings.</summary>
    private static List<string> SecretLookingParts(IReadOnlyList<string> command)
    {
        var patterns = new[]
        {
            @"--pass(word)?\b", @"(^|\s)-p\S", @"redis-cli\s+-a\b", @"\bPGPASSWORD\b", @"://[^/\s:@]+:[^/\s@]+@", @"\b[0-9a-fA-F]{32,}\b",
            @"\b[A-Z_]*(PASSWORD|PWD|AUTH)=(?!\$)",
        };
        return command.SelectMany(part => patterns.Where(p => Regex.IsMatch(part, p)).Select(p => $"{p} in {part}")).ToList();
    }

    [Theory]
    [MemberData(nameof(DatabaseKinds))]
    public void Scripts_are_valid_sh(ServerKind kind)
    {
        if (!File.Exists("/bin/sh"))
        {
            return;
        }

        foreach (var command in Commands(Dialect(kind)).Where(c => c.Count > 0 && c[0] == "sh"))
        {
            var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true };
            foreach (var argument in new[] { "-n", "-c", command[2] })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{kind}: sh -n says {error}");
        }
    }

    [Theory]
    [MemberData(nameof(DatabaseKinds))]
    public void Counts_are_parsed_sorted_by_name_ignoring_blank_lines(ServerKind kind)
    {
        const string Output = "vaultwarden.we'ird tab le\t4\r\n\napp two.t`q\t1000\n  \nvaultwarden.evt\\tlog\t0\npublic.\"x\" y\t9223372036854775807\n";
        var counts = Dialect(kind).ParseCounts(Output);
        Assert.Equal(["app two.t`q", "public.\"x\" y", "vaultwarden.evt\\tlog", "vaultwarden.we'ird tab le"], counts.Keys);
        Assert.Equal([1000L, long.MaxValue, 0L, 4L], counts.Values);
        Assert.Empty(Dialect(kind).ParseCounts(""));
        Assert.Empty(Dialect(kind).ParseCounts("\n\r\n"));
    }

    [Fact]
    public void A_name_may_hold_a_tab_the_count_is_after_the_last()
    {
        var counts = Dialect(ServerKind.Mongo).ParseCounts("db.a\tb\t5\n");
        Assert.Equal(5, counts["db.a\tb"]);
    }

    [Theory]
    [InlineData("db.table 5", 1)]
    [InlineData("ok\t1\ndb.table\tfive", 2)]
    [InlineData("db.table\t-5", 1)]
    [InlineData("db.table\t", 1)]
    [InlineData("\t5", 1)]
    [InlineData("db.table\t5 rows", 1)]
    [InlineData("db.table\t99999999999999999999", 1)]
    [InlineData("NOAUTH Authentication required.", 1)]
    [InlineData("a\t1\n\nb\t2\na\t3", 4)]
    public void A_bad_line_is_invalid_data_naming_the_line(string output, int line)
    {
        foreach (var kind in new[] { ServerKind.MariaDb, ServerKind.Redis })
        {
            var error = Assert.Throws<DatamancyException>(() => Dialect(kind).ParseCounts(output));
            Assert.Equal(ErrorIds.BackupCountsInvalid, error.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, error.Kind);
            Assert.Contains($"line {line} ", error.Message);
            Assert.Contains(kind.ToString(), error.Message);
        }
    }
}
