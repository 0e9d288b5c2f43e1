using System.Management.Automation;
using System.Security;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;

namespace Datamancy.Commands;

/// <summary>Creates a person in the stack's directory with roles and a password (generated when not given).</summary>
[Cmdlet(VerbsCommon.New, "DatamancyUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(UserInfo))]
public sealed class NewDatamancyUserCommand : DirectoryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string DisplayName { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("EmailAddress")]
    [ValidateNotNullOrEmpty]
    public string Mail { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RoleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Role { get; set; } = [];

    [Parameter]
    [ValidateNotNull]
    public SecureString? Password { get; set; }

    protected override void Process()
    {
        var directory = OpenDirectory();
        ForItem(() =>
        {
            var plan = Wait(token => directory.PlanNewUserAsync(Name, DisplayName, Mail, Role, Password, token));
            var roles = string.Join(", ", plan.Groups.Select(g => g.Name));
            if (!ShouldProcess($"{plan.DistinguishedName} on {directory.Server}", $"Create user '{plan.Name}' with roles {roles}"))
            {
                return;
            }

            var user = Wait(token => directory.CreateUserAsync(plan, Password, token));
            WriteVerbose($"Created {user.DistinguishedName} in {roles}{(Password is null ? "; its generated password is in the Password property (SecureString)" : string.Empty)}.");
            WriteObject(user);
        });
    }
}
