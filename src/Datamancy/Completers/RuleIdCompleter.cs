using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Datamancy.Security.Audit;

namespace Datamancy.Commands.Completers;

/// <summary>Completes the audit's rule ids, with each rule's name as the tooltip.</summary>
public sealed class RuleIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return SecurityRules.All
            .Where(r => pattern.IsMatch(r.Id))
            .Select(r => new CompletionResult(r.Id, $"{r.Id} {r.Title}", CompletionResultType.ParameterValue, $"{r.Title} ({r.Severity})"));
    }
}
