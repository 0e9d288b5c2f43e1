using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Datamancy.Identity;

namespace Datamancy.Commands.Completers;

/// <summary>Completes role names from the group: subjects of the local stack's Authelia access rules (no LDAP call).</summary>
public sealed class RoleNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionStack.Complete(wordToComplete, AutheliaConfig.TryReadRoleNames(CompletionStack.Directory(fakeBoundParameters)));
}
