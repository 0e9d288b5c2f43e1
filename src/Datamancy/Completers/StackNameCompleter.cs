using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using Datamancy.Stack;

namespace Datamancy.Commands.Completers;

/// <summary>Completes names read from the local compose file of the stack the command would use.</summary>
public abstract class StackNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var directory = fakeBoundParameters["Path"] as string
            ?? Environment.GetEnvironmentVariable(StackLocator.EnvironmentVariable)
            ?? CurrentLocation();
        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return Names(StackNames.Read(Path.GetFullPath(directory)))
            .Where(pattern.IsMatch)
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
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

/// <summary>Completes backup targets: the groups, "configs" and the service names (database services are dump targets).</summary>
public sealed class BackupTargetCompleter : StackNameCompleter
{
    private protected override IEnumerable<string> Names((IReadOnlyList<string> Services, IReadOnlyList<string> Profiles) names) =>
        ["volumes", "databases", "configs", .. names.Services];
}
