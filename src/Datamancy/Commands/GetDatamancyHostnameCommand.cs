using System.Management.Automation;
using System.Net;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;

namespace Datamancy.Commands;

/// <summary>Gets the hostnames the stack's Caddyfile serves, with their services, or as /etc/hosts lines.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyHostname", DefaultParameterSetName = AsObjects)]
[OutputType(typeof(HostnameInfo), ParameterSetName = [AsObjects])]
[OutputType(typeof(string), ParameterSetName = [AsHosts])]
public sealed class GetDatamancyHostnameCommand : StackCmdlet
{
    private const string AsObjects = "AsObjects";
    private const string AsHosts = "AsHostsEntry";

    /// <summary>Only the hostnames routed to these services.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AsHosts)]
    public SwitchParameter AsHostsEntry { get; set; }

    /// <summary>The address the hosts lines point at.</summary>
    [Parameter(ParameterSetName = AsHosts)]
    [ValidateNotNull]
    public IPAddress IPAddress { get; set; } = IPAddress.Loopback;

    protected override void Process()
    {
        var stack = LoadStack();
        var names = new NameFilter(Name);
        var routes = stack.Routes
            .Where(r => r.Hostname.Length > 0 && !r.Hostname.Contains('*') && (names.IsEmpty || (r.Service is not null && names.Matches(r.Service))))
            .DistinctBy(r => r.Hostname.ToLowerInvariant())
            .ToList();
        foreach (var route in routes)
        {
            WriteObject(AsHostsEntry
                ? $"{IPAddress} {route.Hostname}"
                : new HostnameInfo(route.Hostname, route.Service ?? string.Empty, [.. route.Upstreams], route.ForwardAuth, stack.Directory));
        }

        foreach (var missing in names.Unmatched(stack.Services.Select(s => s.Name)))
        {
            WriteCoreError(StackErrors.ServiceNotFound(stack, missing));
        }
    }
}
