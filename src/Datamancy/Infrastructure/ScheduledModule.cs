using System.Management.Automation;

namespace Datamancy.Commands.Infrastructure;

/// <summary>What a scheduled run starts: this session's pwsh and this module's manifest (not the assembly, so it gets the views and help too).</summary>
internal static class ScheduledModule
{
    public static string Pwsh(PSCmdlet cmdlet)
    {
        var pwsh = Path.Combine(cmdlet.SessionState.PSVariable.GetValue("PSHOME") as string ?? string.Empty, "pwsh");
        return File.Exists(pwsh) ? pwsh : "pwsh";
    }

    public static string Manifest(PSCmdlet cmdlet) =>
        cmdlet.MyInvocation.MyCommand.Module is { } module && Path.Combine(module.ModuleBase, "Datamancy.psd1") is var manifest && File.Exists(manifest) ? manifest : "Datamancy";
}
