using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Identity;

namespace Datamancy.Commands.Infrastructure;

/// <summary>Adding and removing group members share everything but the change itself.</summary>
public abstract class GroupMembershipCmdlet : DirectoryCmdlet
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

    /// <summary>The ShouldProcess action, such as "Add member 'alice'".</summary>
    private protected abstract string Action(string user);

    /// <summary>Makes the change; returns false when there was nothing to change.</summary>
    private protected abstract Task<bool> ChangeAsync(DirectoryManager directory, DirectoryGroup group, DirectoryUser user, CancellationToken token);

    /// <summary>The verbose line for a change made (true) or not needed (false).</summary>
    private protected abstract string Outcome(bool changed, string user, string group);

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
                        if (ShouldProcess($"{group.DistinguishedName} on {directory.Server}", Action(user.Name)))
                        {
                            var changed = Wait(token => ChangeAsync(directory, group, user, token));
                            WriteVerbose(Outcome(changed, user.Name, group.Name));
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
