using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Gets each service at a glance, or with -Summary the stack as Up, Degraded or Down and why: one engine call plus the stack's files.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyStatus", DefaultParameterSetName = PerService)]
[OutputType(typeof(ServiceStatus), ParameterSetName = [PerService])]
[OutputType(typeof(StackStatus), ParameterSetName = [ForStack])]
public sealed class GetDatamancyStatusCommand : StatusCmdlet
{
    private const string PerService = "PerService";
    private const string ForStack = "Summary";
    private readonly List<string> _names = [];

    /// <summary>Service names (wildcards allowed); default: every service.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only the services of these profiles (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Profile { get; set; }

    /// <summary>One object for the stack (or the services selected): Up, Degraded or Down, with the reasons.</summary>
    [Parameter(ParameterSetName = ForStack, Mandatory = true)]
    public SwitchParameter Summary { get; set; }

    protected override void Process() => _names.AddRange(Name ?? []);

    protected override void End()
    {
        var stack = LoadStack();
        var services = ServiceSelection.NamedInProfiles(stack, _names, Profile);
        var report = ReadReport(stack, services);
        if (Summary)
        {
            WriteObject(report.Summary);
        }
        else
        {
            WriteObject(report.Services, enumerateCollection: true);
        }
    }
}
