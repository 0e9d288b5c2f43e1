using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Identity;

namespace Datamancy.Commands;

/// <summary>Deletes people from the stack's directory, after taking them out of every group.</summary>
[Cmdlet(VerbsCommon.Remove, "DatamancyUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveDatamancyUserCommand : DirectoryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    protected override void Process()
    {
        var directory = OpenDirectory();
        foreach (var name in Name)
        {
            ForItem(() =>
            {
                var user = Wait(token => directory.GetUserAsync(name, token));
                var groups = DirectoryManager.GroupsOf(user, Wait(directory.ListGroupsAsync));
                var leaving = groups.Length == 0 ? "in no group" : $"leaving {string.Join(", ", groups)}";
                if (!ShouldProcess($"{user.DistinguishedName} on {directory.Server}", $"Remove user '{user.Name}' ({leaving})"))
                {
                    return;
                }

                Wait(token => directory.RemoveUserAsync(user, token));
                WriteVerbose($"Removed {user.DistinguishedName} ({leaving}).");
            });
        }
    }
}
