using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Identity;

namespace Datamancy.Commands;

/// <summary>Adds people to groups (roles) of the stack's directory; a member already there stays as is.</summary>
[Cmdlet(VerbsCommon.Add, "DatamancyGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GroupInfo))]
public sealed class AddDatamancyGroupMemberCommand : GroupMembershipCmdlet
{
    private protected override string Action(string user) => $"Add member '{user}'";

    private protected override Task<bool> ChangeAsync(DirectoryManager directory, DirectoryGroup group, DirectoryUser user, CancellationToken token) =>
        directory.AddMemberAsync(group, user, token);

    private protected override string Outcome(bool changed, string user, string group) =>
        changed ? $"Added '{user}' to {group}." : $"'{user}' already is a member of {group}.";
}
