using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>
/// Redis: the RDB file written by a BGSAVE, copied to standard output. redis-cli reads the password
/// from REDISCLI_AUTH itself, which is how the stack passes it. Redis cannot load an RDB into a
/// running server, so a restore puts the file at <see cref="DataFilePath"/> before the server starts.
/// </summary>
public sealed class RedisDialect : DatabaseDialect
{
    // rdb_saves goes up when a background save starts; rdb_bgsave_in_progress is 0 once it ended.
    // "Started" counts this request's save, "scheduled" (an AOF rewrite is running) a save that
    // starts later; "already in progress" is a save that began before this request, so it retries.
    private const string Dump = """
        set -eu
        field() { printf '%s\n' "$1" | tr -d '\r' | sed -n "s/^$2://p"; }
        pause() { sleep 0.2 2>/dev/null || sleep 1; }
        while :; do
          info=$(redis-cli INFO persistence)
          before=$(field "$info" rdb_saves)
          case $before in ''|*[!0-9]*) echo "redis-cli INFO persistence failed: $info" >&2; exit 1 ;; esac
          reply=$(redis-cli BGSAVE SCHEDULE | tr -d '\r')
          case $reply in
            *'Background saving started'*|*'Background saving scheduled'*) break ;;
            *'already in progress'*) pause ;;
            *) echo "BGSAVE failed: $reply" >&2; exit 1 ;;
          esac
        done
        while :; do
          info=$(redis-cli INFO persistence)
          saves=$(field "$info" rdb_saves)
          busy=$(field "$info" rdb_bgsave_in_progress)
          case $saves in ''|*[!0-9]*) echo "redis-cli INFO persistence failed: $info" >&2; exit 1 ;; esac
          if [ "$busy" = 0 ] && [ "$saves" -gt "$before" ]; then break; fi
          pause
        done
        status=$(field "$info" rdb_last_bgsave_status)
        [ "$status" = ok ] || { echo "the background save failed (rdb_last_bgsave_status:$status): see the server's log" >&2; exit 1; }
        dir=$(redis-cli CONFIG GET dir | tr -d '\r' | sed -n 2p)
        file=$(redis-cli CONFIG GET dbfilename | tr -d '\r' | sed -n 2p)
        [ -n "$dir" ] && [ -n "$file" ] || { echo 'CONFIG GET dir/dbfilename returned nothing' >&2; exit 1; }
        exec cat -- "$dir/$file"
        """;

    // INFO keyspace: "db0:keys=3,expires=0,avg_ttl=0" per logical database that has keys. The
    // header line tells a reply from an error (NOAUTH, connection refused), which would print no keys.
    private const string Count = """
        set -eu
        info=$(redis-cli INFO keyspace | tr -d '\r')
        case $info in '# Keyspace'*) ;; *) echo "redis-cli INFO keyspace failed: $info" >&2; exit 1 ;; esac
        printf '%s\n' "$info" | awk -F '[:=,]' '/^db[0-9]+:keys=/ { print $1 "\t" $3 }'
        """;

    public override ServerKind Kind => ServerKind.Redis;

    public override IReadOnlyList<string> DumpCommand { get; } = ["sh", "-c", Dump];

    /// <summary>Empty: Redis loads an RDB only from its data directory at start; see <see cref="DataFilePath"/>.</summary>
    public override IReadOnlyList<string> LoadCommand { get; } = [];

    /// <summary>
    /// The stack runs redis-server with --appendonly yes (official image: dir /data). With the AOF on,
    /// Redis 7 ignores dump.rdb at start and, finding no AOF, starts empty and writes an empty AOF
    /// base. A lone appendonly.aof in the data directory (no appendonlydir) is instead taken as an
    /// AOF from before Redis 7: it becomes the base of a new appendonlydir, and a base may be an RDB.
    /// So the RDB goes here, into a data directory that has no appendonlydir (a fresh volume, or one
    /// the caller emptied); a server started with the AOF off would read /data/dump.rdb instead.
    /// </summary>
    public override string? DataFilePath => "/data/appendonly.aof";

    public override IReadOnlyList<string> CountCommand { get; } = ["sh", "-c", Count];

    protected override string DumpExtension => ".rdb";
}
