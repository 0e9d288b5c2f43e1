using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Security.Audit;

/// <summary>
/// The backup's own secret: when the policy backs up .env and the repository password is in that
/// .env, the repository holds the key that opens it, and whoever takes the host has both. The
/// caller names the variable (Backup.BackupSecretExposure), so the audit does not read backup settings itself.
/// </summary>
internal static class BackupRules
{
    public static void Check(StackDefinition stack, string? backedUpPasswordVariable, FindingSink sink)
    {
        if (backedUpPasswordVariable is not { } variable || stack.EnvFile is not { } envFile || !File.Exists(envFile))
        {
            return;
        }

        if (DotEnvFile.Parse(envFile, File.ReadAllText(envFile), _ => null).TryGetValue(variable, out var value) && value.Length > 0)
        {
            sink.Add(SecurityRules.BackupKeyInBackup, string.Empty,
                $"{variable}, the backup repository's password, is stored in {Path.GetFileName(envFile)}, which the backup policy includes in the backups it protects.",
                AuditSources.Env, envFile, "backup-key:" + variable, variables: [variable]);
        }
    }
}
