using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Fingerprints;
using Datamancy.Stack;

namespace Datamancy.Commands;

/// <summary>Gets services' fingerprints and whether each is Fresh, Stale or NeverPassed against its last passing test.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyFingerprint")]
[OutputType(typeof(FingerprintInfo))]
public sealed class GetDatamancyFingerprintCommand : EngineCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override string Activity => "Reading the engine";

    protected override void Process()
    {
        var stack = LoadStack();
        var names = new NameFilter(Name);
        var services = stack.Services.Where(s => names.Matches(s.Name)).ToList();
        var live = TryReadLiveState(stack);
        if (live is null && DockerHost is null && !DockerConnector.Candidates(null, Environment.GetEnvironmentVariable).Any(DockerConnector.MayAnswer))
        {
            WriteWarning("No Docker engine socket was found, so ImageDigest is empty and a service that passed shows as Stale (ImageDigest). Start the engine or pass -DockerHost.");
        }

        var computed = ComputeParts(stack, services, live);
        foreach (var (service, parts, error) in computed)
        {
            if (error is not null)
            {
                WriteCoreError(error);
                continue;
            }

            LastPassRecord? last = null;
            try
            {
                last = LastPassStore.Read(LastPassStore.PathOf(stack.Directory, service.Name), service.Name);
            }
            catch (DatamancyException exception)
            {
                WriteCoreError(exception); // reported, and the service shows as NeverPassed
            }

            WriteObject(Freshness.ToInfo(stack, service, parts!, last));
        }

        foreach (var missing in names.Unmatched(stack.Services.Select(s => s.Name)))
        {
            WriteCoreError(StackErrors.ServiceNotFound(stack, missing));
        }
    }

    private IReadOnlyList<(Stack.Model.ServiceDefinition Service, FingerprintParts? Parts, DatamancyException? Error)> ComputeParts(
        Stack.Model.StackDefinition stack, IReadOnlyList<Stack.Model.ServiceDefinition> services, IReadOnlyDictionary<string, LiveState>? live)
    {
        try
        {
            return FingerprintCalculator.Compute(stack, services, live, Environment.GetEnvironmentVariable, Cancellation);
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
