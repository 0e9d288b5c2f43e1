using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Adds people to groups (roles) of the stack's directory; a member already there stays as is.</summary>
[Cmdlet(VerbsCommon.Add, "DatamancyGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GroupInfo))]
public sealed class AddDatamancyGroupMemberCommand : DirectoryCmdlet
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
                        if (ShouldProcess($"{group.DistinguishedName} on {directory.Server}", $"Add member '{user.Name}'"))
                        {
                            var added = Wait(token => directory.AddMemberAsync(group, user, token));
                            WriteVerbose(added ? $"Added '{user.Name}' to {group.Name}." : $"'{user.Name}' already is a member of {group.Name}.");
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
