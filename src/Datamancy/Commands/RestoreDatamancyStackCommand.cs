using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Errors;
using Datamancy.Recovery;

namespace Datamancy.Commands;

/// <summary>Rebuilds a whole stack from its backup repository on an engine: stack folder, volumes, databases, services, checks.</summary>
[Cmdlet(VerbsData.Restore, "DatamancyStack", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = PasswordSet)]
[OutputType(typeof(StackRecoveryResult), typeof(StackRecoverySummary))]
public sealed class RestoreDatamancyStackCommand : RecoveryCmdlet
{
    /// <summary>The new stack folder; it must be empty or absent (or hold a restore under way).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Start over: remove what is in the folder and what the project has on the engine first.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override string Activity => "Restoring the Datamancy stack";

    protected override void End()
    {
        var folder = GetUnresolvedProviderPathFromPSPath(Path);
        var recovery = new StackRecovery(Engine, Request(folder), Reporter);
        var set = Wait(recovery.ChooseAsync);
        var progress = RecoveryProgress.Load(folder) is { } found && found.Project == set.Project ? found : null;
        var existing = progress is not null ? [] : Existing(folder, set.Project);
        if (existing.Count > 0 && !Force)
        {
            var inFolder = existing.Any(e => e.StartsWith("file ", StringComparison.Ordinal));
            throw new DatamancyException(inFolder ? ErrorIds.RecoveryFolderExists : ErrorIds.RecoveryProjectExists, ErrorKind.ResourceExists,
                $"Restore-DatamancyStack does not write over an existing stack: {(inFolder ? folder : $"project '{set.Project}' on {Engine.Endpoint}")} holds " +
                $"{string.Join(", ", existing.Take(8))}{(existing.Count > 8 ? $" and {existing.Count - 8} more" : string.Empty)}. " +
                "Choose another -Path or -DockerHost, or add -Force to remove all of it and start over.", inFolder ? folder : set.Project);
        }

        if (IsDryRun)
        {
            ShowPlan(recovery, set, folder, existing);
            return;
        }

        if (!ShouldProcess($"{folder} and project '{set.Project}' on {Engine.Endpoint}", $"Restore the whole stack from {Repository}"))
        {
            return;
        }

        if (existing.Count > 0)
        {
            WriteVerbose($"-Force: removing {string.Join(", ", existing)}.");
            Wait(_ => ProjectFootprint.RemoveAsync(Engine, set.Project, Reporter));
            EmptyFolder(folder);
        }

        progress ??= new RecoveryProgress { Project = set.Project };
        Directory.CreateDirectory(folder);
        progress.Save(folder);
        try
        {
            if (!progress.StackFolder)
            {
                Wait(token => recovery.RestoreStackFolderAsync(set, folder, token));
                progress.StackFolder = true;
                progress.Save(folder);
            }

            var plan = RecoveryPlan.Create(StackRecovery.Load(folder, set.Project), set, Profile, WriteWarning);
            foreach (var target in plan.NeverBackedUp)
            {
                WriteWarning($"'{target}' has no snapshot at or before {Snapshot}: it starts empty.");
            }

            var results = Wait(token => recovery.RunAsync(plan, progress, folder, Emit, token));
            RecoveryProgress.Complete(folder);
            WriteObject(recovery.Summary(set, folder, results, false));
        }
        catch (Exception) when (Cancellation.IsCancellationRequested)
        {
            WarnAfterStop($"The restore was stopped. It made {progress.Describe(folder)}. Run the same command again to go on, or add -Force to start over.");
            throw;
        }
    }

    // What is in the way: the folder's entries ("file x") and the project's objects on the engine.
    private List<string> Existing(string folder, string project)
    {
        var found = Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder).Select(e => "file " + System.IO.Path.GetFileName(e)).Order(StringComparer.Ordinal).ToList() : [];
        found.AddRange(Wait(token => ProjectFootprint.ListAsync(Engine, project, token)));
        return found;
    }

    // -WhatIf: the stack folder is read from a scratch copy so that every step can be named; nothing of the target is touched.
    private void ShowPlan(StackRecovery recovery, RecoverySet set, string folder, IReadOnlyList<string> existing)
    {
        if (existing.Count > 0)
        {
            ShouldProcess(string.Join(", ", existing), "Remove (-Force)");
        }

        var scratch = Directory.CreateTempSubdirectory("dm-recovery-plan-").FullName;
        try
        {
            Wait(token => recovery.RestoreStackFolderAsync(set, scratch, token));
            var plan = RecoveryPlan.Create(StackRecovery.Load(scratch, set.Project), set, Profile, WriteWarning);
            foreach (var step in plan.Steps(folder, Engine.Endpoint.ToString()))
            {
                ShouldProcess(step, "Restore-DatamancyStack");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void EmptyFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }
}
