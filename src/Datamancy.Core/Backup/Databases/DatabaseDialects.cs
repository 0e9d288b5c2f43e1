using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>The dialect that dumps, loads and counts each kind of database server.</summary>
public static class DatabaseDialects
{
    private static readonly IDatabaseDialect MariaDb = new MariaDbDialect();
    private static readonly IDatabaseDialect Postgres = new PostgresDialect();
    private static readonly IDatabaseDialect Mongo = new MongoDialect();
    private static readonly IDatabaseDialect Redis = new RedisDialect();
    private static readonly IDatabaseDialect ClickHouse = new ClickHouseDialect();

    /// <summary>Null for a server that is not a database (LDAP, anything else).</summary>
    public static IDatabaseDialect? For(ServerKind kind) => kind switch
    {
        ServerKind.MariaDb => MariaDb,
        ServerKind.Postgres => Postgres,
        ServerKind.Mongo => Mongo,
        ServerKind.Redis => Redis,
        ServerKind.ClickHouse => ClickHouse,
        _ => null,
    };
}
