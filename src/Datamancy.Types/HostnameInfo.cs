namespace Datamancy;

/// <summary>One hostname of the stack's Caddyfile and the service it routes to.</summary>
public sealed class HostnameInfo
{
    public HostnameInfo(string hostname, string service, string[] upstreams, bool forwardAuth, string stackPath)
    {
        Hostname = hostname;
        Service = service;
        Upstreams = new(upstreams);
        ForwardAuth = forwardAuth;
        StackPath = stackPath;
    }

    public string Hostname { get; }

    /// <summary>The service the site proxies to; empty for a site served by Caddy itself.</summary>
    public string Service { get; }

    /// <summary>The reverse_proxy upstreams as written, such as grafana:3000.</summary>
    public TextList Upstreams { get; }

    /// <summary>True when Authelia's forward_auth guards the site.</summary>
    public bool ForwardAuth { get; }

    public string StackPath { get; }

    public override string ToString() => Hostname;
}
