using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Backup;

/// <summary>The repository password: the one given, else the process environment, else the stack's .env (as Compose looks variables up).</summary>
public static class BackupPassword
{
    public static string Resolve(StackDefinition stack, BackupSettings settings, string? given, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(given))
        {
            return given;
        }

        if (environment(settings.PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (stack.EnvFile is { } envFile && File.Exists(envFile)
            && DotEnvFile.Parse(envFile, File.ReadAllText(envFile), _ => null).TryGetValue(settings.PasswordVariable, out var value) && value.Length > 0)
        {
            return value;
        }

        throw new DatamancyException(ErrorIds.BackupPasswordMissing, ErrorKind.InvalidArgument,
            $"No password for the {settings.Engine} repository: {settings.PasswordVariable} is not set in {stack.EnvFile ?? Path.Combine(stack.Directory, ".env")}. " +
            "Set it there (New-DatamancyStack generates it), or pass -RepositoryCredential.", settings.PasswordVariable);
    }
}
