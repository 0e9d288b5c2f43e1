using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Datamancy.Stack;

namespace Datamancy.Commands.Completers;

/// <summary>Completes names read from the local compose file of the stack the command would use.</summary>
public abstract class StackNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionStack.Complete(wordToComplete, Names(StackNames.Read(CompletionStack.Directory(fakeBoundParameters))));

    private protected abstract IEnumerable<string> Names((IReadOnlyList<string> Services, IReadOnlyList<string> Profiles) names);
}

/// <summary>Completes service names.</summary>
public sealed class ServiceNameCompleter : StackNameCompleter
{
    private protected override IEnumerable<string> Names((IReadOnlyList<string> Services, IReadOnlyList<string> Profiles) names) => names.Services;
}

/// <summary>Completes profile names.</summary>
public sealed class ProfileNameCompleter : StackNameCompleter
{
    private protected override IEnumerable<string> Names((IReadOnlyList<string> Services, IReadOnlyList<string> Profiles) names) => names.Profiles;
}
