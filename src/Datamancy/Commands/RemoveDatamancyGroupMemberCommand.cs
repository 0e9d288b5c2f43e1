using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Takes people out of groups (roles) of the stack's directory; the group stays valid when its last member leaves.</summary>
[Cmdlet(VerbsCommon.Remove, "DatamancyGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GroupInfo))]
public sealed class RemoveDatamancyGroupMemberCommand : DirectoryCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Role")]
    [ArgumentCompleter(typeof(RoleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Group { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string[] User { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        var directory = OpenDirectory();
        foreach (var groupName in Group)
        {
            ForItem(() =>
            {
                var group = Wait(token => directory.GetGroupAsync(groupName, token));
                foreach (var userName in User)
                {
                    ForItem(() =>
                    {
                        var user = Wait(token => directory.GetUserAsync(userName, token));
                        if (ShouldProcess($"{group.DistinguishedName} on {directory.Server}", $"Remove member '{user.Name}'"))
                        {
                            var removed = Wait(token => directory.RemoveMemberAsync(group, user, token));
                            WriteVerbose(removed ? $"Removed '{user.Name}' from {group.Name}." : $"'{user.Name}' was not a member of {group.Name}.");
                        }
                    });
                }

                if (PassThru)
                {
                    var users = Wait(token => directory.FindUsersAsync([], token));
                    WriteObject(directory.Describe(Wait(token => directory.GetGroupAsync(groupName, token)), users));
                }
            });
        }
    }
}
