using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Commands.Completers;

/// <summary>
/// What every completer shares: the stack folder the command would use (-Path, else
/// $env:DATAMANCY_STACK, else PowerShell's current folder), read from local files only and silently
/// (a broken stack completes nothing), and the filtering of names by the word typed so far.
/// </summary>
internal static class CompletionStack
{
    public static string Directory(IDictionary fakeBoundParameters)
    {
        var location = CurrentLocation();
        var directory = fakeBoundParameters["Path"] as string
            ?? Environment.GetEnvironmentVariable(StackLocator.EnvironmentVariable)
            ?? location;
        return Path.GetFullPath(directory, location);
    }

    /// <summary>The loaded stack, or null when it cannot be loaded (no stack, invalid configs).</summary>
    public static StackDefinition? TryLoad(IDictionary fakeBoundParameters)
    {
        try
        {
            return new StackLoader().Load(Directory(fakeBoundParameters));
        }
        catch (Exception exception) when (exception is DatamancyException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The names that start with the word typed so far (wildcards in it count), each with its tooltip.</summary>
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, IEnumerable<(string Name, string ToolTip)> names)
    {
        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return names
            .Where(n => pattern.IsMatch(n.Name))
            .Select(n => new CompletionResult(n.Name, n.Name, CompletionResultType.ParameterValue, n.ToolTip));
    }

    public static IEnumerable<CompletionResult> Complete(string wordToComplete, IEnumerable<string> names) =>
        Complete(wordToComplete, names.Select(n => (n, n)));

    // PowerShell's location, not the process's. Completion runs on the pipeline thread, often while
    // a pipeline runs (TabExpansion2 in a script), where only a nested command can read it.
    private static string CurrentLocation()
    {
        try
        {
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            return shell.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem").Invoke<PathInfo>().FirstOrDefault()?.ProviderPath
                ?? System.IO.Directory.GetCurrentDirectory();
        }
        catch (Exception exception) when (exception is PSInvalidOperationException or InvalidRunspaceStateException or RuntimeException)
        {
            return System.IO.Directory.GetCurrentDirectory();
        }
    }
}
