using System.Management.Automation;
using Datamancy.Backup;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Backs up the stack's volumes, database dumps and configuration into its backup repository, one result per target as each finishes.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "DatamancyBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(BackupResult))]
public sealed class InvokeDatamancyBackupCommand : BackupCmdlet
{
    private readonly List<string> _targets = [];

    /// <summary>volumes, databases, configs, volume keys or service names (wildcards allowed); default: everything.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(BackupTargetCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Target { get; set; } = [];

    protected override string Activity => "Backing up the Datamancy stack";

    protected override void Process() => _targets.AddRange(Target);

    protected override void End()
    {
        var stack = LoadStack();
        var targets = BackupTargetResolver.Select(stack, _targets).Where(t => ShouldProcess($"{t.Kind} {t.Name}", "Back up")).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        var policy = BackupPolicy.Load(stack.Directory);
        Run(async (engine, reporter) =>
        {
            await new BackupRunner(Session(stack, engine, reporter)).RunAsync(targets, policy.HasRetention ? policy.Retention : null, Emit, Cancellation).ConfigureAwait(false);
            return true;
        });
    }
}
