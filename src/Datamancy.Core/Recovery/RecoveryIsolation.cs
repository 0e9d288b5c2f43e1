using Datamancy.Security;
using Datamancy.Stack.Model;

namespace Datamancy.Recovery;

/// <summary>
/// How a drill's copy is kept apart from the live stack on the same engine: its own project name
/// (so its containers, volumes and networks have their own names and labels), every network
/// internal, and no port published on the host but Caddy's 443 on a loopback port the engine picks,
/// so that the checks reach the copy's Caddy and never the live one.
/// </summary>
public static class RecoveryIsolation
{
    public const string DrillInfix = "-drill-";

    public static string DrillProject(string project) => $"{project}{DrillInfix}{Guid.NewGuid().ToString("N")[..6]}";

    public static StackDefinition Isolate(StackDefinition stack) => stack with
    {
        Services = stack.Services.Select(s => s with
        {
            Ports = ServiceKinds.Is(s, "caddy") && s.Ports.Any(p => p.Target == "443") ? [new PortMapping("127.0.0.1", null, "443", "tcp")] : [],
        }).ToList(),
        Networks = stack.Networks.Select(n => n with { Internal = true, External = false }).ToList(),
    };
}
