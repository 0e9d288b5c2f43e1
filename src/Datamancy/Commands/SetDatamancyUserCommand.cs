using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Identity;

namespace Datamancy.Commands;

/// <summary>Changes the display name, mail or roles of people in the stack's directory.</summary>
[Cmdlet(VerbsCommon.Set, "DatamancyUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(UserInfo))]
public sealed class SetDatamancyUserCommand : DirectoryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DisplayName { get; set; }

    [Parameter]
    [Alias("EmailAddress")]
    [ValidateNotNullOrEmpty]
    public string? Mail { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RoleNameCompleter))]
    [ValidateNotNull]
    public string[]? Role { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        if (DisplayName is null && Mail is null && Role is null)
        {
            WriteWarning("Nothing to change: give -DisplayName, -Mail or -Role.");
            return;
        }

        var directory = OpenDirectory();
        foreach (var name in Name)
        {
            ForItem(() =>
            {
                if (DisplayName is not null)
                {
                    DirectoryNames.CheckDisplayName(DisplayName);
                }

                if (Mail is not null)
                {
                    DirectoryNames.CheckMail(Mail);
                }

                var user = Wait(token => directory.GetUserAsync(name, token));
                var roles = Role?.Distinct(StringComparer.OrdinalIgnoreCase).Select(r => Wait(token => directory.GetGroupAsync(r, token))).ToList();
                var changes = new List<string>();
                if (DisplayName is not null)
                {
                    changes.Add($"display name '{DisplayName}'");
                }

                if (Mail is not null)
                {
                    changes.Add($"mail '{Mail}'");
                }

                if (roles is not null)
                {
                    changes.Add(roles.Count == 0 ? "no roles" : $"roles {string.Join(", ", roles.Select(r => r.Name))} only");
                }

                if (!ShouldProcess($"{user.DistinguishedName} on {directory.Server}", $"Set {string.Join(", ", changes)}"))
                {
                    return;
                }

                var updated = Wait(token => directory.UpdateUserAsync(user, DisplayName, Mail, roles, token));
                if (PassThru)
                {
                    WriteObject(updated);
                }
            });
        }
    }
}
