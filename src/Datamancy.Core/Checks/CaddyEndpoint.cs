using System.Globalization;
using Datamancy.Errors;

namespace Datamancy.Checks;

/// <summary>Where Caddy listens for HTTPS: "127.0.0.1:443", "[::1]:8443", "host:443" or a bare host (port 443).</summary>
public sealed record CaddyEndpoint(string Host, int Port)
{
    public const string Default = "127.0.0.1:443";

    public static CaddyEndpoint Parse(string address)
    {
        var text = address.Trim();
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            host = close > 1 ? text[1..close] : string.Empty;
            if (close > 0 && close + 1 < text.Length)
            {
                port = text[(close + 1)..].StartsWith(':') ? text[(close + 2)..] : null;
                if (port is null)
                {
                    host = string.Empty;
                }
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            host = text[..text.IndexOf(':')];
            port = text[(text.IndexOf(':') + 1)..];
        }
        else
        {
            host = text; // a host name, an IPv4 address or a bare IPv6 address
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace)
            || !int.TryParse(port ?? "443", NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new DatamancyException(ErrorIds.InvalidAddress, ErrorKind.InvalidArgument,
                $"'{address}' is not an address Caddy can listen on; use host:port such as 127.0.0.1:443 or [::1]:8443.", address);
        }

        return new CaddyEndpoint(host, number);
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
