using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Backup;

/// <summary>For the security audit (DMS022): the variable that holds the repository password, when the policy backs up the .env it may sit in.</summary>
public static class BackupSecretExposure
{
    /// <summary>The password variable x-datamancy-backup names, when the configs target takes .env; null otherwise or without usable backup settings.</summary>
    public static string? PasswordVariableBackedUp(StackDefinition stack)
    {
        try
        {
            return BackupPolicy.Load(stack.Directory).IncludeSecrets ? BackupSettingsReader.Read(stack).PasswordVariable : null;
        }
        catch (DatamancyException)
        {
            // No usable policy or backup settings: the backup commands say so themselves.
            return null;
        }
    }
}
