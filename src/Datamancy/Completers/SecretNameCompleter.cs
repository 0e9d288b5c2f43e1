using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Datamancy.Security;
using Datamancy.Stack;

namespace Datamancy.Commands.Completers;

/// <summary>Completes the names (never the values) of the secret variables in the stack's .env.</summary>
public sealed class SecretNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var envFile = Path.Combine(CompletionStack.Directory(fakeBoundParameters), StackLoader.EnvFileName);
        if (!File.Exists(envFile))
        {
            return [];
        }

        return CompletionStack.Complete(wordToComplete, EnvFileEditor.Locate(File.ReadAllText(envFile)).Keys
            .Where(SecretGenerator.IsSecretName)
            .Order(StringComparer.Ordinal));
    }
}
