using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Identity;

namespace Datamancy.Commands;

/// <summary>Takes people out of groups (roles) of the stack's directory; the group stays valid when its last member leaves.</summary>
[Cmdlet(VerbsCommon.Remove, "DatamancyGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GroupInfo))]
public sealed class RemoveDatamancyGroupMemberCommand : GroupMembershipCmdlet
{
    private protected override string Action(string user) => $"Remove member '{user}'";

    private protected override Task<bool> ChangeAsync(DirectoryManager directory, DirectoryGroup group, DirectoryUser user, CancellationToken token) =>
        directory.RemoveMemberAsync(group, user, token);

    private protected override string Outcome(bool changed, string user, string group) =>
        changed ? $"Removed '{user}' from {group}." : $"'{user}' was not a member of {group}.";
}
