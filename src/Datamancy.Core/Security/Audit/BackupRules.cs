using Datamancy.Backup;
using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Security.Audit;

/// <summary>
/// The backup's own secret: when the policy backs up .env and the repository password is in that
/// .env, the repository holds the key that opens it, and whoever takes the host has both.
/// </summary>
internal static class BackupRules
{
    public static void Check(StackDefinition stack, FindingSink sink)
    {
        if (!BackupPolicy.Load(stack.Directory).IncludeSecrets || stack.EnvFile is not { } envFile || !File.Exists(envFile))
        {
            return;
        }

        string variable;
        try
        {
            variable = BackupSettingsReader.Read(stack).PasswordVariable;
        }
        catch (DatamancyException)
        {
            // No usable backup settings: nothing is backed up, so nothing is leaked into a repository.
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
