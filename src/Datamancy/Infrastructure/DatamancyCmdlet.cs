using System.Management.Automation;
using Datamancy.Errors;
using Datamancy.Reporting;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// What every Datamancy cmdlet shares: core errors become terminating ErrorRecords with their
/// stable id; one bad item is written as a non-terminating error; core work runs through the one
/// bridge (off the pipeline thread, reports written on it, Ctrl+C cancels it).
/// </summary>
public abstract class DatamancyCmdlet : PSCmdlet, IDisposable
{
    private CoreBridge? _bridge;

    /// <summary>The activity Write-Progress shows.</summary>
    protected virtual string Activity => MyInvocation.MyCommand.Name;

    private protected CoreBridge Bridge => _bridge ??= new CoreBridge(this, () => Activity, WriteResult);

    /// <summary>Cancelled by Ctrl+C.</summary>
    protected CancellationToken Cancellation => Bridge.Token;

    /// <summary>Where core work reports; thread-safe.</summary>
    private protected IReporter Reporter => Bridge;

    /// <summary>-WhatIf given, or $WhatIfPreference set: nothing may change.</summary>
    protected bool IsDryRun =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) ? ((SwitchParameter)whatIf).IsPresent
            : SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;

    protected sealed override void BeginProcessing() => Guard(Begin);

    protected sealed override void ProcessRecord() => Guard(Process);

    protected sealed override void EndProcessing() => Guard(End);

    protected override void StopProcessing() => _bridge?.Cancel();

    protected virtual void Begin()
    {
    }

    protected virtual void Process()
    {
    }

    protected virtual void End()
    {
    }

    /// <summary>Runs core work through the bridge and returns its result.</summary>
    protected T Wait<T>(Func<CancellationToken, Task<T>> work) => Bridge.Run(work);

    protected void Wait(Func<CancellationToken, Task> work) => Bridge.Run(work);

    /// <summary>Queues a result from core work (any thread); it is written in order on the pipeline thread.</summary>
    protected void Emit(object result) => Bridge.Emit(result);

    /// <summary>Writes a result, and its error when it reports a failure (a failed start, backup or drill).</summary>
    protected virtual void WriteResult(object result)
    {
        WriteObject(result);
        if (ResultErrors.Of(result) is { } error)
        {
            WriteCoreError(error);
        }
    }

    protected void WriteResults(IEnumerable<object> results)
    {
        foreach (var result in results)
        {
            WriteResult(result);
        }
    }

    protected void WriteCoreError(DatamancyException exception) => WriteError(ErrorMapper.ToErrorRecord(exception));

    public void Dispose()
    {
        DisposeResources();
        _bridge?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a cmdlet holds for the pipeline's lifetime (an engine connection, directory sessions).</summary>
    protected virtual void DisposeResources()
    {
    }

    private void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (DatamancyException exception)
        {
            ThrowTerminatingError(ErrorMapper.ToErrorRecord(exception));
        }
    }
}
