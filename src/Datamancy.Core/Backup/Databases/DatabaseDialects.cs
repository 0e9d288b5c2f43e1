using Datamancy.Security;

namespace Datamancy.Backup.Databases;

// Temporary stand-in until the dialects land (replaced by the issue6-db branch).
public static class DatabaseDialects
{
    public static IDatabaseDialect? For(ServerKind kind) => null;
}
