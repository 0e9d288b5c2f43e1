using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Datamancy.Checks;
using Datamancy.Security;

namespace Datamancy.Tests;

/// <summary>
/// HttpsProbe against a tiny TLS server on 127.0.0.1 that serves a certificate from
/// CertificateIssuer: the hostname goes in the URL and SNI, the connection to the address given.
/// </summary>
public sealed class HttpsProbeTests : IAsyncLifetime
{
    private static readonly IssuedCertificate Issued = CertificateIssuer.Issue("stack.local", DateTimeOffset.UtcNow);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _hosts = [];
    private Task? _server;

    private CaddyEndpoint Endpoint => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    public Task InitializeAsync()
    {
        _listener.Start();
        var certificate = X509Certificate2.CreateFromPem(Issued.Certificate.ExportCertificatePem(), Issued.PrivateKeyPem);
        _server = Task.Run(() => ServeAsync(certificate));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAny(_server!, Task.Delay(2000));
    }

    [Fact]
    public async Task Reaches_a_hostname_through_the_given_address_and_trusts_the_stacks_CA()
    {
        using var probe = new HttpsProbe(Endpoint, new TrustAnchor(Issued.Authority, "ca.crt", null), false, TimeSpan.FromSeconds(10));
        var result = await probe.GetAsync("grafana.stack.local", "/health", default);
        Assert.Null(result.Failure);
        Assert.Equal(200, result.Status);
        Assert.Equal("max-age=31536000", result.Header("strict-transport-security"));
        Assert.Contains("you asked for /health", result.Body, StringComparison.Ordinal);
        Assert.Contains("*.stack.local", result.Certificate, StringComparison.Ordinal);
        lock (_hosts)
        {
            Assert.Contains("grafana.stack.local", _hosts); // the SNI, and so the Host, were the hostname
        }
    }

    [Fact]
    public async Task Refuses_a_certificate_from_another_CA_and_says_so()
    {
        var other = CertificateIssuer.Issue("stack.local", DateTimeOffset.UtcNow).Authority;
        using var probe = new HttpsProbe(Endpoint, new TrustAnchor(other, "/stack/caddy/certs/ca.crt", null), false, TimeSpan.FromSeconds(10));
        var result = await probe.GetAsync("grafana.stack.local", "/", default);
        Assert.Null(result.Status);
        Assert.Contains("does not validate against the stack's CA /stack/caddy/certs/ca.crt", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_certificate_for_another_name()
    {
        using var probe = new HttpsProbe(Endpoint, new TrustAnchor(Issued.Authority, "ca.crt", null), false, TimeSpan.FromSeconds(10));
        var result = await probe.GetAsync("grafana.other.test", "/", default);
        Assert.Null(result.Status);
        Assert.Contains("the certificate is for *.stack.local, stack.local", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_any_certificate_only_when_told_to_skip_the_check()
    {
        var other = CertificateIssuer.Issue("stack.local", DateTimeOffset.UtcNow).Authority;
        using var probe = new HttpsProbe(Endpoint, new TrustAnchor(other, "ca.crt", null), true, TimeSpan.FromSeconds(10));
        var result = await probe.GetAsync("grafana.other.test", "/", default);
        Assert.Equal(200, result.Status);
        Assert.Contains("NOT checked", result.Certificate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_when_nothing_listens_at_the_address()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var probe = new HttpsProbe(new CaddyEndpoint("127.0.0.1", port), new TrustAnchor(Issued.Authority, "ca.crt", null), false, TimeSpan.FromSeconds(5));
        var result = await probe.GetAsync("grafana.stack.local", "/", default);
        Assert.Null(result.Status);
        Assert.Contains($"cannot connect to Caddy at 127.0.0.1:{port}", result.Failure, StringComparison.Ordinal);
    }

    // One request per connection: read the headers, answer with the path and close.
    private async Task ServeAsync(X509Certificate2 certificate)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var _ = client;
                try
                {
                    await using var tls = new SslStream(client.GetStream());
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        ServerCertificateSelectionCallback = null,
                    }, _stop.Token);
                    lock (_hosts)
                    {
                        _hosts.Add(tls.TargetHostName);
                    }

                    var request = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await tls.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    var path = request.ToString().Split(' ')[1];
                    var body = Encoding.UTF8.GetBytes($"you asked for {path}");
                    var head = $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nStrict-Transport-Security: max-age=31536000\r\nConnection: close\r\n\r\n";
                    await tls.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                    await tls.WriteAsync(body, _stop.Token);
                }
                catch (Exception exception) when (exception is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // a client that refused our certificate hangs up during the handshake
                }
            });
        }
    }
}
