using Datamancy.Security;
using Datamancy.Stack.Model;

namespace Datamancy.Recovery;

/// <summary>
/// How a drill's copy is kept apart from the live stack on the same engine: its own project name
/// (so its containers, volumes and networks have their own names and labels), every network of the
/// stack internal, and no port published on the host but Caddy's 443, on a loopback port the engine
/// picks, so that the checks reach the copy's Caddy and never the live one. The engine publishes no
/// port of a container on internal networks only, so Caddy alone also joins one network of the
/// drill's own that is not internal.
/// </summary>
public static class RecoveryIsolation
{
    public const string DrillInfix = "-drill-";

    /// <summary>The key of the drill's own network, which only Caddy joins, for its loopback port.</summary>
    public const string EdgeNetwork = "drill-edge";

    public static string DrillProject(string project) => $"{project}{DrillInfix}{Guid.NewGuid().ToString("N")[..6]}";

    public static StackDefinition Isolate(StackDefinition stack)
    {
        var edge = false;
        var services = stack.Services.Select(s =>
        {
            if (!ServiceKinds.Is(s, "caddy") || !s.Ports.Any(p => p.Target == "443"))
            {
                return s with { Ports = [] };
            }

            edge = true;
            return s with { Ports = [new PortMapping("127.0.0.1", null, "443", "tcp")], Networks = [.. s.Networks, new ServiceNetwork(EdgeNetwork, [], null)] };
        }).ToList();
        var networks = stack.Networks.Select(n => n with { Internal = true, External = false }).ToList();
        if (edge)
        {
            networks.Add(new NetworkDefinition(EdgeNetwork, $"{stack.ProjectName}_{EdgeNetwork}", "bridge", false, false, false,
                new Dictionary<string, string>(), new Dictionary<string, string>()));
        }

        return stack with { Services = services, Networks = networks };
    }
}
