using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Datamancy.Backup;

namespace Datamancy.Commands.Completers;

/// <summary>
/// Completes backup targets as -Target takes them: the groups volumes, databases and configs, then
/// each target of the local stack (volume keys, database services), with its kind as the tooltip.
/// </summary>
public sealed class BackupTargetCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var stack = CompletionStack.TryLoad(fakeBoundParameters);
        var targets = stack is null ? [] : BackupTargetResolver.All(stack);
        var groups = BackupTargetResolver.Groups.Select(g => (g, $"every {g} target"));
        var names = targets
            .Where(t => !BackupTargetResolver.Groups.Contains(t.Name, StringComparer.Ordinal))
            .Select(t => (t.Name, t.VolumeName is { } volume ? $"{t.Kind}: {volume}" : t.Kind));
        return CompletionStack.Complete(wordToComplete, groups.Concat(names));
    }
}
