using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Datamancy.Identity;
using Datamancy.Stack;

namespace Datamancy.Commands.Completers;

/// <summary>Completes role names from the group: subjects of the local stack's Authelia access rules (no LDAP call).</summary>
public sealed class RoleNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var directory = fakeBoundParameters["Path"] as string
            ?? Environment.GetEnvironmentVariable(StackLocator.EnvironmentVariable)
            ?? Directory.GetCurrentDirectory();
        var pattern = WildcardPattern.Get(WildcardPattern.Escape(wordToComplete.Trim('\'', '"')) + "*", WildcardOptions.IgnoreCase);
        return AutheliaConfig.TryReadRoleNames(Path.GetFullPath(directory))
            .Where(pattern.IsMatch)
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
    }
}
