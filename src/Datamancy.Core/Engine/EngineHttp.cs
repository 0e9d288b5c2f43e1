using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Datamancy.Engine;

/// <summary>
/// Plain Engine API requests that Docker.DotNet cannot make: the distribution inspect with the
/// registry's credentials in X-Registry-Auth (the library's call sends none). Over the same unix
/// socket or tcp address as the client, at the negotiated API version.
/// </summary>
internal sealed class EngineHttp : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly Version _apiVersion;

    private EngineHttp(HttpClient http, Uri endpoint, Version apiVersion)
    {
        _http = http;
        _endpoint = endpoint;
        _apiVersion = apiVersion;
    }

    /// <summary>A client for the endpoint, or null for one it cannot reach (a named pipe, TLS).</summary>
    public static EngineHttp? For(Uri endpoint, Version apiVersion)
    {
        if (endpoint.Scheme == "unix")
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, token) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.LocalPath), token).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            return new EngineHttp(new HttpClient(handler) { BaseAddress = new Uri("http://docker/") }, endpoint, apiVersion);
        }

        return endpoint.Scheme is "tcp" or "http"
            ? new EngineHttp(new HttpClient { BaseAddress = new Uri($"http://{endpoint.Host}:{endpoint.Port}/") }, endpoint, apiVersion)
            : null;
    }

    public async Task<string> DistributionDigestAsync(string reference, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        var what = $"ask the registry for image {reference}";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v{_apiVersion.Major}.{_apiVersion.Minor}/distribution/{reference}/json");
        if (auth is not null)
        {
            request.Headers.Add("X-Registry-Auth", AuthHeader(auth));
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await EngineFailures.GuardAsync(_endpoint, what, async () =>
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw EngineFailures.Refused(_endpoint, what, response.StatusCode, body, null);
            }

            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("Descriptor").GetProperty("digest").GetString() ?? string.Empty;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The engine's X-Registry-Auth: base64url of the credentials as JSON (the docker CLI's encoding).</summary>
    internal static string AuthHeader(RegistryAuth auth)
    {
        var json = auth.IdentityToken is { Length: > 0 } token
            ? JsonSerializer.Serialize(new { identitytoken = token, serveraddress = auth.ServerAddress })
            : JsonSerializer.Serialize(new { username = auth.UserName, password = auth.Password, serveraddress = auth.ServerAddress });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_');
    }

    public void Dispose() => _http.Dispose();
}
