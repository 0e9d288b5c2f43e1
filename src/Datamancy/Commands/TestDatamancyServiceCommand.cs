using System.Management.Automation;
using Datamancy.Checks;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Errors;
using Datamancy.Fingerprints;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>
/// Tests services end to end: their containers, dependencies, HTTPS through Caddy with the stack's
/// CA, security headers and declared checks; records the fingerprint of each service whose checks all pass.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DatamancyService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CheckResult), typeof(ServiceTestSummary))]
public sealed class TestDatamancyServiceCommand : EngineCmdlet
{
    private static readonly string[] InformationTags = ["Datamancy", "TestSummary"];
    private readonly List<(StackDefinition Stack, string[]? Names)> _requests = [];
    private StackDefinition? _testing;
    private int _passedServices;
    private int _failedServices;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Where Caddy listens for HTTPS, as host:port.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string CaddyAddress { get; set; } = CaddyEndpoint.Default;

    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter]
    [ValidateRange(1, 300)]
    public int TimeoutSec { get; set; } = 10;

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary>Also load each site in a real headless browser over the DevTools protocol.</summary>
    [Parameter]
    public SwitchParameter Browser { get; set; }

    /// <summary>The browser's DevTools endpoint (ws:// or http://); the stack's browserless by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string BrowserEndpoint { get; set; } = Checks.Browser.BrowserEndpoint.Default;

    /// <summary>Swarm: the Container and Dependencies checks and the fingerprint read the swarm services; default: the stack's x-datamancy orchestrator, else Compose.</summary>
    [Parameter]
    public Orchestrator? Orchestrator { get; set; }

    protected override bool SupportsSwarm => true;

    private bool UsesBrowser => Browser || MyInvocation.BoundParameters.ContainsKey(nameof(BrowserEndpoint));

    protected override string Activity => "Testing Datamancy services";

    protected override void Process() => _requests.Add((LoadStack(), Name));

    protected override void End()
    {
        var options = new ServiceTestOptions(CaddyEndpoint.Parse(CaddyAddress), SkipCertificateCheck, TimeSpan.FromSeconds(TimeoutSec), ThrottleLimit)
        {
            BrowserEndpoint = UsesBrowser ? Checks.Browser.BrowserEndpoint.Parse(BrowserEndpoint).OriginalString : null,
            SaveScreenshots = UsesBrowser && ShouldProcess("data/tests/<service>/browser.png", "Save the browser's screenshot of each page"),
        };
        foreach (var group in _requests.GroupBy(r => r.Stack.Directory, StringComparer.Ordinal))
        {
            var stack = group.First().Stack;
            var services = Select(stack, group.Any(r => r.Names is null) ? null : group.SelectMany(r => r.Names!).ToList());
            if (services.Count == 0)
            {
                continue;
            }

            _testing = stack;
            var forStack = options with { Orchestrator = SwarmSettings.Resolve(stack, Orchestrator) };
            Run((engine, reporter) => new ServiceTester(engine, reporter).TestAsync(stack, services, forStack, Emit, Cancellation));
        }

        WriteInformation($"{_passedServices + _failedServices} service(s) tested: {_passedServices} passed, {_failedServices} failed.", InformationTags);
    }

    protected override void WriteResult(object result)
    {
        if (result is ServiceTestOutcome outcome)
        {
            Write(_testing!, outcome);
        }
        else
        {
            base.WriteResult(result);
        }
    }

    private IReadOnlyList<ServiceDefinition> Select(StackDefinition stack, IReadOnlyList<string>? names)
    {
        var filter = new NameFilter(names);
        foreach (var missing in filter.Unmatched(stack.Services.Select(s => s.Name)))
        {
            WriteCoreError(StackErrors.ServiceNotFound(stack, missing));
        }

        return stack.Services.Where(s => filter.Matches(s.Name)).ToList();
    }

    private void Write(StackDefinition stack, ServiceTestOutcome outcome)
    {
        var recorded = outcome.AllPassed && outcome.Parts is not null && Record(stack, outcome);
        if (outcome.FingerprintError is { } error)
        {
            WriteCoreError(error);
        }

        var failed = outcome.Results.Where(r => !r.Passed).Select(r => r.Check).ToArray();
        if (Summary)
        {
            WriteObject(new ServiceTestSummary(outcome.Service, outcome.Results.Count, failed.Length, failed, outcome.Duration,
                outcome.Parts?.Fingerprint ?? string.Empty, recorded, stack.Directory));
        }
        else
        {
            WriteObject(outcome.Results, enumerateCollection: true);
        }

        if (failed.Length == 0)
        {
            _passedServices++;
        }
        else
        {
            _failedServices++;
        }

        WriteInformation(failed.Length == 0
            ? $"{outcome.Service}: all {outcome.Results.Count} checks passed{(recorded ? "; fingerprint recorded" : string.Empty)}."
            : $"{outcome.Service}: {failed.Length} of {outcome.Results.Count} checks failed ({string.Join(", ", failed)}).", InformationTags);
    }

    private bool Record(StackDefinition stack, ServiceTestOutcome outcome)
    {
        var path = LastPassStore.PathOf(stack.Directory, outcome.Service);
        if (!ShouldProcess(path, $"Record the passing fingerprint of '{outcome.Service}'"))
        {
            return false;
        }

        try
        {
            LastPassStore.Write(path, new LastPassRecord(outcome.Service, outcome.Parts!, DateTimeOffset.UtcNow, LastPassStore.ModuleVersion,
                outcome.Results.Select(r => r.Check).ToList()));
            WriteVerbose($"{outcome.Service}: fingerprint {outcome.Parts!.Fingerprint} recorded in {path}.");
            return true;
        }
        catch (DatamancyException exception)
        {
            WriteCoreError(exception);
            return false;
        }
    }
}
