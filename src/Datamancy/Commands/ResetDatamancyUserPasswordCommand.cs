using System.Management.Automation;
using System.Security;
using Datamancy.Commands.Infrastructure;
using Datamancy.Identity;

namespace Datamancy.Commands;

/// <summary>Sets a new password through the Password Modify extended operation, so the server stores its own hash.</summary>
[Cmdlet(VerbsCommon.Reset, "DatamancyUserPassword", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(UserInfo))]
public sealed class ResetDatamancyUserPasswordCommand : DirectoryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    [ValidateNotNull]
    public SecureString? Password { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        var directory = OpenDirectory();
        foreach (var name in Name)
        {
            ForItem(() =>
            {
                if (Password is not null)
                {
                    Passwords.CheckStrength(Password, name);
                }

                var user = Wait(token => directory.GetUserAsync(name, token));
                var how = Password is null ? "a generated password" : "the given password";
                if (!ShouldProcess($"{user.DistinguishedName} on {directory.Server}", $"Reset the password to {how}"))
                {
                    return;
                }

                var result = Wait(token => directory.ResetPasswordAsync(user, Password, token));
                WriteVerbose($"Reset the password of {user.DistinguishedName}; the server stored its own hash.");
                if (Password is null || PassThru)
                {
                    WriteObject(result);
                }
            });
        }
    }
}
