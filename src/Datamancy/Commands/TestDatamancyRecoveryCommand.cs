using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Errors;
using Datamancy.Recovery;

namespace Datamancy.Commands;

/// <summary>A recovery drill: the whole stack restored into an isolated copy, checked, then removed; the live stack is never touched.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DatamancyRecovery", DefaultParameterSetName = PasswordSet)]
[OutputType(typeof(StackRecoveryResult), typeof(StackRecoverySummary))]
public sealed class TestDatamancyRecoveryCommand : RecoveryCmdlet
{
    protected override string Activity => "Drilling the recovery of the Datamancy stack";

    protected override void End()
    {
        var folder = Directory.CreateTempSubdirectory("dm-recovery-drill-").FullName;
        var recovery = new StackRecovery(Engine, Request(folder), Reporter);
        RecoverySet? set = null;
        string? copy = null;
        var results = new List<StackRecoveryResult>();
        try
        {
            set = Wait(recovery.ChooseAsync);
            copy = RecoveryIsolation.DrillProject(set.Project);
            Wait(token => recovery.RestoreStackFolderAsync(set, folder, token));
            var stack = RecoveryIsolation.Isolate(StackRecovery.Load(folder, copy));
            var plan = RecoveryPlan.Create(stack, set, Profile, WriteWarning);
            WriteVerbose($"Drilling the restore of '{set.Project}' as project '{copy}' in {folder}.");
            results.AddRange(Wait(token => recovery.RunAsync(plan, new RecoveryProgress { Project = copy }, folder, Emit, token)));
            WriteObject(recovery.Summary(set, folder, results, true));
        }
        catch (DatamancyException exception) when (set is not null && !Cancellation.IsCancellationRequested)
        {
            // The drill's verdict, not an error of the call: the backup could not be restored.
            WriteObject(recovery.Summary(set, folder, results, true, exception.Message));
        }
        finally
        {
            if (copy is not null)
            {
                // On this thread and not cancellable: after Ctrl+C too, the copy goes.
                ProjectFootprint.RemoveAsync(Engine, copy, Reporting.NullReporter.Instance).GetAwaiter().GetResult();
            }

            Directory.Delete(folder, recursive: true);
        }
    }
}
