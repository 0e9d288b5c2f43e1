using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Datamancy.Checks;

/// <summary>
/// GETs https://&lt;hostname&gt;&lt;path&gt; from Caddy: the URL and SNI carry the hostname while every
/// connection goes to Caddy's address, so the test needs no DNS entry and no hosts file edit.
/// </summary>
internal sealed class HttpsProbe : IDisposable
{
    private const int MaxBody = 1 << 20;
    private readonly HttpClient _client;
    private readonly TlsValidator _validator;
    private readonly CaddyEndpoint _caddy;
    private readonly TimeSpan _timeout;

    public HttpsProbe(CaddyEndpoint caddy, TrustAnchor trust, bool skipCertificateCheck, TimeSpan timeout)
    {
        _caddy = caddy;
        _timeout = timeout;
        _validator = new TlsValidator(trust, skipCertificateCheck);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = _validator.Validate },
            AllowAutoRedirect = false, // a check sees the site's own answer, redirects included
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = timeout,
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Datamancy-Test", "1"));
    }

    public async Task<ProbeResult> GetAsync(string hostname, string path, CancellationToken cancellationToken)
    {
        var url = $"https://{hostname}{path}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                headers[name] = string.Join(", ", values);
            }

            var body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            return new ProbeResult(url, (int)response.StatusCode, response.ReasonPhrase ?? string.Empty, headers, body, null, _validator.Summary);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(url, $"no answer within {_timeout.TotalSeconds:0.#} s from Caddy at {_caddy}");
        }
        catch (HttpRequestException exception)
        {
            return Failed(url, Explain(exception));
        }
    }

    public void Dispose() => _client.Dispose();

    private ProbeResult Failed(string url, string failure) =>
        new(url, null, string.Empty, new Dictionary<string, string>(), string.Empty, failure, _validator.Summary);

    private string Explain(HttpRequestException exception)
    {
        if (exception.InnerException is SocketException socket)
        {
            return $"cannot connect to Caddy at {_caddy}: {socket.Message}; is Caddy running and listening there? (see -CaddyAddress)";
        }

        if (exception.InnerException is AuthenticationException authentication)
        {
            return _validator.Failure is { } refused
                ? $"TLS: {refused}"
                : $"TLS handshake failed: {Innermost(authentication)}; does the Caddyfile have a site with a certificate for this host?";
        }

        return $"{exception.Message} {Innermost(exception)}".Trim();
    }

    private static string Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception.Message;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(_caddy.Host, _caddy.Port), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBody];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}

/// <summary>What a GET through Caddy returned: a status, headers and (up to 1 MiB of) body, or why nothing came back.</summary>
internal sealed record ProbeResult(string Url, int? Status, string Reason, IReadOnlyDictionary<string, string> Headers, string Body,
    string? Failure, string? Certificate)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string StatusText => Status is { } status ? $"HTTP {status} {Reason}".TrimEnd() : "no response";
}
