using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using Datamancy.Security;
using Datamancy.Stack;

namespace Datamancy.Commands.Completers;

/// <summary>Completes the names (never the values) of the secret variables in the stack's .env.</summary>
public sealed class SecretNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var directory = fakeBoundParameters["Path"] as string
            ?? Environment.GetEnvironmentVariable(StackLocator.EnvironmentVariable)
            ?? CurrentLocation();
        var envFile = Path.Combine(Path.GetFullPath(directory), StackLoader.EnvFileName);
        if (!File.Exists(envFile))
        {
            return [];
        }

        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return EnvFileEditor.Locate(File.ReadAllText(envFile)).Keys
            .Where(n => SecretGenerator.IsSecretName(n) && pattern.IsMatch(n))
            .Order(StringComparer.Ordinal)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }

    // PowerShell's location, not the process's; completion may run while the runspace is busy.
    private static string CurrentLocation()
    {
        try
        {
            return Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath ?? Directory.GetCurrentDirectory();
        }
        catch (PSInvalidOperationException)
        {
            return Directory.GetCurrentDirectory();
        }
    }
}
