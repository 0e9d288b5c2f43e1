using System.Management.Automation;
using Datamancy.Errors;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// What every Datamancy cmdlet shares: core errors become terminating ErrorRecords with their
/// stable id; one bad item is written as a non-terminating error.
/// </summary>
public abstract class DatamancyCmdlet : PSCmdlet
{
    protected sealed override void BeginProcessing() => Guard(Begin);

    protected sealed override void ProcessRecord() => Guard(Process);

    protected sealed override void EndProcessing() => Guard(End);

    protected virtual void Begin()
    {
    }

    protected virtual void Process()
    {
    }

    protected virtual void End()
    {
    }

    protected void WriteCoreError(DatamancyException exception) => WriteError(ErrorMapper.ToErrorRecord(exception));

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
