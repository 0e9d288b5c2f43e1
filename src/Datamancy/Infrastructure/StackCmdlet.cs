using System.Management.Automation;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// A cmdlet that works on a stack folder: -Path, else $env:DATAMANCY_STACK, else the current
/// folder. Each folder is loaded once per pipeline.
/// </summary>
public abstract class StackCmdlet : DatamancyCmdlet
{
    private readonly Dictionary<string, StackDefinition> _loaded = new(StringComparer.Ordinal);

    /// <summary>The stack folder.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("StackPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    private protected virtual IStackLoader Loader { get; } = new StackLoader();

    protected StackDefinition LoadStack()
    {
        // PowerShell resolves ~ and PSDrive paths; the core takes plain file system paths.
        var given = string.IsNullOrEmpty(Path) ? null : GetUnresolvedProviderPathFromPSPath(Path);
        var directory = StackLocator.Resolve(given, SessionState.Path.CurrentFileSystemLocation.ProviderPath, Environment.GetEnvironmentVariable);
        if (!_loaded.TryGetValue(directory, out var stack))
        {
            WriteVerbose($"Loading the stack in {directory}.");
            stack = Loader.Load(directory);
            foreach (var warning in stack.Warnings)
            {
                WriteWarning(warning);
            }

            OnStackLoaded(stack);
            _loaded[directory] = stack;
        }

        return stack;
    }

    /// <summary>Checks a freshly loaded stack before any work on it (once per folder and pipeline).</summary>
    protected virtual void OnStackLoaded(StackDefinition stack)
    {
    }
}
