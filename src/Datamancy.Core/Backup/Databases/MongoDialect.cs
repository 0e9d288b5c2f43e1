using Datamancy.Security;

namespace Datamancy.Backup.Databases;

/// <summary>
/// MongoDB: a mongodump archive of every database, loaded by mongorestore --drop, both logged in as
/// MONGO_INITDB_ROOT_USERNAME. The database tools take the password only from an argv, a prompt or
/// a YAML file named by --config (tools 100.3+): here that file is a pipe the script writes the
/// password into with the shell's builtin printf, so it is in no argv and on no disk.
/// </summary>
public sealed class MongoDialect : DatabaseDialect
{
    // The password as a single-quoted YAML scalar (quotes doubled); --config parses strictly.
    private const string Password = """
        set -eu
        password() { printf "password: '%s'\n" "$(printf '%s' "${MONGO_INITDB_ROOT_PASSWORD:-}" | sed "s/'/''/g")"; }

        """;

    private const string Dump = Password + """
        if [ -z "${MONGO_INITDB_ROOT_USERNAME:-}" ]; then exec mongodump --archive; fi
        password | mongodump --archive --username="$MONGO_INITDB_ROOT_USERNAME" --authenticationDatabase=admin --config=/dev/stdin
        """;

    // Standard input is the archive, so the password goes in on descriptor 3: the original input
    // is kept on 4 while the pipe from printf becomes 3. Users, roles and the auth schema
    // (admin.system.*) are left as they are: a fresh container makes root and LibreChat's user from
    // its own environment (configs/mongodb/initdb), and the archive's copies would override them
    // with the passwords of the day of the dump. --drop replaces each restored collection whole;
    // --stopOnError makes a document that fails to insert fail the load instead of being skipped.
    private const string Load = Password + """
        set -- --archive --drop --stopOnError --nsExclude='admin.system.*' --nsExclude='config.*'
        if [ -z "${MONGO_INITDB_ROOT_USERNAME:-}" ]; then exec mongorestore "$@"; fi
        exec 4<&0
        password | mongorestore "$@" --username="$MONGO_INITDB_ROOT_USERNAME" --authenticationDatabase=admin --config=/dev/fd/3 3<&0 0<&4 4<&-
        """;

    // mongosh reads the credentials from its own environment (process.env), not from an argv.
    // countDocuments({}) is exact; estimatedDocumentCount reads metadata that an unclean shutdown
    // can leave wrong. Names are escaped like the other dialects' clients do (\\, \t, \n).
    private const string Count = """
        (() => {
          const user = process.env.MONGO_INITDB_ROOT_USERNAME;
          if (user) {
            db.getSiblingDB('admin').auth(user, process.env.MONGO_INITDB_ROOT_PASSWORD || '');
          }
          const escape = s => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
          const names = db.adminCommand({ listDatabases: 1, nameOnly: true }).databases.map(d => d.name).sort();
          for (const name of names.filter(n => !['admin', 'config', 'local'].includes(n))) {
            const database = db.getSiblingDB(name);
            const collections = database.getCollectionInfos({ type: { $in: ['collection', 'timeseries'] } }, { nameOnly: true }).map(c => c.name).sort();
            for (const collection of collections.filter(c => !c.startsWith('system.'))) {
              print(escape(name + '.' + collection) + '\t' + database.getCollection(collection).countDocuments({}));
            }
          }
        })();
        """;

    public override ServerKind Kind => ServerKind.Mongo;

    public override IReadOnlyList<string> DumpCommand { get; } = ["sh", "-c", Dump];

    public override IReadOnlyList<string> LoadCommand { get; } = ["sh", "-c", Load];

    public override IReadOnlyList<string> CountCommand { get; } = ["mongosh", "--quiet", "--norc", "--eval", Count];

    protected override string DumpExtension => ".archive";
}
