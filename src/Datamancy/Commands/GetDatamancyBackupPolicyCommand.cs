using System.Management.Automation;
using Datamancy.Backup;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Gets the stack's backup policy (retention, maximum age, schedule) from backup-policy.json, as Set-DatamancyBackupPolicy left it.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyBackupPolicy")]
[OutputType(typeof(BackupPolicyInfo))]
public sealed class GetDatamancyBackupPolicyCommand : StackCmdlet
{
    protected override void Process()
    {
        var stack = LoadStack();
        WriteObject(BackupPolicy.Load(stack.Directory).Describe(stack.Directory));
    }
}
