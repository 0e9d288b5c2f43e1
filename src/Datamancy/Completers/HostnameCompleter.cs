using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Datamancy.Commands.Completers;

/// <summary>Completes the hostnames of the local stack's Caddyfile, with the service each routes to as the tooltip.</summary>
public sealed class HostnameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var routes = CompletionStack.TryLoad(fakeBoundParameters)?.Routes ?? [];
        return CompletionStack.Complete(wordToComplete, routes
            .DistinctBy(r => r.Hostname, StringComparer.OrdinalIgnoreCase)
            .Select(r => (r.Hostname, string.IsNullOrEmpty(r.Service) ? r.Hostname : $"{r.Hostname} -> {r.Service}")));
    }
}
