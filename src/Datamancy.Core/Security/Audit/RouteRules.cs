using System.Text.RegularExpressions;
using Datamancy.Stack.Model;

namespace Datamancy.Security.Audit;

/// <summary>The front door's rules, per Caddyfile site: no metrics or admin endpoints, HSTS and CSP headers, Authelia in front.</summary>
internal static partial class RouteRules
{
    public const int OneYear = 31536000;

    // Exporters' and admin APIs' well-known ports: Caddy's admin API, node/redis/postgres/mysql/mongodb exporters, ClickHouse's
    // Prometheus endpoint, kopia's metrics listener.
    private static readonly HashSet<int> MetricsPorts = [2019, 9100, 9104, 9113, 9121, 9187, 9216, 9256, 9363, 51516];

    private static readonly string[] AdminPaths = ["/metrics", "/admin", "/-/", "/api/v1/admin", "/debug", "/actuator", "/server-status"];

    public static void Check(StackDefinition stack, FindingSink sink)
    {
        foreach (var route in stack.Routes)
        {
            var service = route.Service is null ? null : stack.FindService(route.Service);
            var name = route.Service ?? route.Hostname;
            var exceptions = service?.Exceptions ?? new Dictionary<string, string>();
            var location = route.Mark.ToString();
            CheckPaths(stack, route, name, location, sink);
            CheckHeaders(route, name, location, sink);
            if (!route.ForwardAuth && !(service is not null && ServiceKinds.Is(service, "authelia")))
            {
                sink.Add(SecurityRules.ForwardAuthMissing, name,
                    $"The site {route.Hostname} reaches {name} without Authelia's forward_auth: anyone who can reach Caddy gets to it.",
                    AuditSources.Caddy, location, "forward_auth:" + route.Hostname, exceptions);
            }
        }
    }

    private static void CheckPaths(StackDefinition stack, SiteRoute route, string name, string location, FindingSink sink)
    {
        foreach (var path in route.Paths.Distinct(StringComparer.Ordinal))
        {
            // "/metrics", "/metrics*", "/metrics/*" and "/admin/users" all match; "/administration" does not.
            var lower = path.ToLowerInvariant().TrimEnd('*');
            if (AdminPaths.Select(a => a.TrimEnd('/')).Any(root => lower == root || lower.StartsWith(root + "/", StringComparison.Ordinal)))
            {
                sink.Add(SecurityRules.MetricsRouted, name, $"The site {route.Hostname} routes {path} to a handler: metrics and admin endpoints must stay internal.",
                    AuditSources.Caddy, location, "path:" + route.Hostname + path);
            }
        }

        foreach (var upstream in route.Upstreams)
        {
            var (host, port) = HostPort(upstream);
            var upstreamService = host is null ? null : stack.FindService(host);
            if (port is { } p && (MetricsPorts.Contains(p) || (upstreamService is not null && DeclaredMetricsPorts(upstreamService).Contains(p))))
            {
                sink.Add(SecurityRules.MetricsRouted, name, $"The site {route.Hostname} proxies to {upstream}, a metrics or admin port.",
                    AuditSources.Caddy, location, "upstream:" + route.Hostname + upstream);
            }
        }
    }

    private static void CheckHeaders(SiteRoute route, string name, string location, FindingSink sink)
    {
        if (!route.Headers.TryGetValue("Strict-Transport-Security", out var hsts))
        {
            sink.Add(SecurityRules.HstsMissing, name, $"The site {route.Hostname} sets no Strict-Transport-Security header.", AuditSources.Caddy, location, "hsts:" + route.Hostname);
        }
        else if (MaxAge().Match(hsts) is not { Success: true } match || !long.TryParse(match.Groups[1].Value, out var seconds) || seconds < OneYear)
        {
            sink.Add(SecurityRules.HstsMissing, name,
                $"The site {route.Hostname} sets Strict-Transport-Security with a max-age below one year ({OneYear} seconds).", AuditSources.Caddy, location, "hsts:" + route.Hostname);
        }

        if (!route.Headers.TryGetValue("Content-Security-Policy", out var csp) || string.IsNullOrWhiteSpace(csp))
        {
            sink.Add(SecurityRules.CspMissing, name, $"The site {route.Hostname} sets no Content-Security-Policy header.", AuditSources.Caddy, location, "csp:" + route.Hostname);
        }
    }

    // A port a service's own command line opens for metrics, such as kopia's --metrics-listen-addr=0.0.0.0:51516.
    private static IEnumerable<int> DeclaredMetricsPorts(ServiceDefinition service) =>
        (service.Command ?? []).Concat(service.Entrypoint ?? [])
            .Where(a => a.Contains("metrics", StringComparison.OrdinalIgnoreCase))
            .Select(a => TrailingPort().Match(a))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static (string? Host, int? Port) HostPort(string upstream)
    {
        var address = upstream;
        var scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            address = address[(scheme + 3)..];
        }

        address = address.Split('/')[0];
        var colon = address.LastIndexOf(':');
        if (colon < 0)
        {
            return (address, null);
        }

        return (address[..colon], int.TryParse(address[(colon + 1)..], out var port) ? port : null);
    }

    [GeneratedRegex(@"max-age\s*=\s*""?(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex MaxAge();

    [GeneratedRegex(@"[:=](\d{2,5})$")]
    private static partial Regex TrailingPort();
}
