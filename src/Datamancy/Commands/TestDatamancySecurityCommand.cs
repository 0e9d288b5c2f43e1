using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Security.Audit;
using Datamancy.Stack.Model;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>Audits the stack folder (compose file, Caddyfile, .env) and, where the engine answers, its running containers.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DatamancySecurity")]
[OutputType(typeof(SecurityFinding))]
public sealed class TestDatamancySecurityCommand : EngineCmdlet
{
    private static readonly string[] InformationTags = ["Datamancy", "SecuritySummary"];

    /// <summary>Require the running containers to be audited too: fail when no engine answers.</summary>
    [Parameter]
    public SwitchParameter Live { get; set; }

    /// <summary>Only findings of these severities.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public SecuritySeverity[]? Severity { get; set; }

    /// <summary>Only findings of these rules (DMS001 ...); wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RuleIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? RuleId { get; set; }

    protected override string Activity => "Auditing the running containers";

    protected override void Begin()
    {
        var rules = new NameFilter(RuleId);
        foreach (var missing in rules.Unmatched(SecurityRules.All.Select(r => r.Id)))
        {
            WriteCoreError(new DatamancyException(ErrorIds.RuleNotFound, ErrorKind.InvalidArgument,
                $"'{missing}' is not a rule id; the rules are DMS001 to DMS{SecurityRules.All.Count:000} (see Get-Help Test-DatamancySecurity).", missing));
        }
    }

    // The files of a swarm stack are audited as any (DMS023 is theirs); its tasks' containers are not.
    protected override bool SupportsSwarm => true;

    protected override void Process()
    {
        var stack = LoadStack();
        var live = ReadLive(stack);
        var findings = SecurityAuditor.Audit(stack, live, Environment.GetEnvironmentVariable, Backup.BackupSecretExposure.PasswordVariableBackedUp(stack));
        var rules = new NameFilter(RuleId);
        var shown = findings.Where(f => rules.Matches(f.RuleId) && (Severity is null || Severity.Contains(f.Severity))).ToList();
        WriteObject(shown, enumerateCollection: true);
        WriteInformation(Summary(stack, shown.Count, findings.Count, live), InformationTags);
    }

    // An empty result says nothing by itself: say what was audited and what the filters left out.
    private string Summary(StackDefinition stack, int shown, int total, IReadOnlyList<LiveService>? live)
    {
        var filters = string.Join(" and ", new[]
        {
            Severity is null ? null : $"of severity {string.Join(", ", Severity)}",
            RuleId is null ? null : $"of rule {string.Join(", ", RuleId)}",
        }.Where(f => f is not null));
        var audited = live is null ? "the files (not the running containers)" : $"the files and {live.Count} running container(s)";
        var found = shown == 0 ? $"No finding{(filters.Length > 0 ? " " + filters : string.Empty)}" : $"{shown} finding(s){(filters.Length > 0 ? " " + filters : string.Empty)}";
        return $"{found} in {stack.Directory}, from {audited}"
            + (total > shown ? $"; {total - shown} other finding(s) left out by -Severity or -RuleId." : ".");
    }

    // -Live demands the engine; otherwise it is asked when one may answer, and its absence is a warning, as in Get-DatamancyService.
    private IReadOnlyList<LiveService>? ReadLive(StackDefinition stack)
    {
        if (SwarmSettings.From(stack).Orchestrator == Orchestrator.Swarm)
        {
            if (Live)
            {
                throw SwarmRefusals.ModeUnsupported("Test-DatamancySecurity -Live audits", stack,
                    "Leave out -Live: the stack's files are audited, including DMS023 for secrets a swarm service gets in its environment.", nameof(Live));
            }

            WriteVerbose("The stack runs on a Docker Swarm: its files are audited, not the containers of its tasks.");
            return null;
        }

        if (Live)
        {
            return Run((engine, reporter) => LiveServices.ReadAsync(engine, stack.ProjectName, reporter, Cancellation));
        }

        if (DockerHost is null && !DockerConnector.Candidates(null, Environment.GetEnvironmentVariable).Any(DockerConnector.MayAnswer))
        {
            WriteVerbose("No Docker engine socket here: the running containers are not audited (use -Live to require them).");
            return null;
        }

        try
        {
            return Run((engine, reporter) => LiveServices.ReadAsync(engine, stack.ProjectName, reporter, Cancellation));
        }
        catch (DatamancyException exception)
        {
            WriteWarning($"Running containers left out of the audit: {exception.Message}");
            return null;
        }
    }
}
