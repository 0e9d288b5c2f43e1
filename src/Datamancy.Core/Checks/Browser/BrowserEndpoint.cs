using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Checks.Browser;

/// <summary>
/// Where the DevTools protocol is spoken: a ws:// or wss:// URL used as it is (Chromium's
/// "DevTools listening on ws://..." line, or browserless), or an http:// URL whose /json/version
/// names the browser's WebSocket. The default is the stack's browserless service; only the default
/// gets the stack's BROWSERLESS_TOKEN, so the token never goes to an address someone else typed.
/// </summary>
public static class BrowserEndpoint
{
    public const string Default = "ws://127.0.0.1:3000";
    public const string TokenVariable = "BROWSERLESS_TOKEN";

    public static Uri Parse(string endpoint)
    {
        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss" or "http" or "https"))
        {
            throw new DatamancyException(ErrorIds.InvalidBrowserEndpoint, ErrorKind.InvalidArgument,
                $"'{Display(endpoint)}' is not a DevTools endpoint; give a ws:// URL (such as Chromium's 'DevTools listening on ws://...' line or browserless at {Default}) or an http:// URL whose /json/version names one.",
                Display(endpoint));
        }

        return uri;
    }

    /// <summary>The endpoint without its query (where a token travels), for messages.</summary>
    public static string Display(string endpoint) => endpoint.Split('?')[0];

    /// <summary>Opens the DevTools connection; an unreachable browser is a BrowserUnreachable error.</summary>
    public static async Task<CdpConnection> ConnectAsync(string endpoint, StackDefinition stack, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var uri = Parse(endpoint);
        if (endpoint == Default && TokenOf(stack) is { Length: > 0 } token)
        {
            uri = new Uri($"{endpoint}?token={Uri.EscapeDataString(token)}");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            if (uri.Scheme is "http" or "https")
            {
                uri = await WebSocketOf(uri, limit.Token).ConfigureAwait(false);
            }

            await socket.ConnectAsync(uri, limit.Token).ConfigureAwait(false);
            return new CdpConnection(socket);
        }
        catch (Exception exception) when (exception is WebSocketException or HttpRequestException or JsonException or NotSupportedException
                                              or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new DatamancyException(ErrorIds.BrowserUnreachable, ErrorKind.ConnectionError,
                $"No browser answers the DevTools protocol at {Display(endpoint)} ({exception.Message.Trim()}). Start the stack's browserless service " +
                $"(Start-DatamancyService -Name browserless, reachable at {Default}) or give -BrowserEndpoint, such as the ws:// URL a " +
                "'chromium --headless --remote-debugging-port=0' prints.", Display(endpoint), exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<Uri> WebSocketOf(Uri http, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        var version = await client.GetFromJsonAsync<JsonElement>(new Uri(http, "/json/version"), cancellationToken).ConfigureAwait(false);
        return version.TryGetProperty("webSocketDebuggerUrl", out var url) && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var ws)
            ? ws
            : throw new JsonException($"{http.GetLeftPart(UriPartial.Authority)}/json/version names no webSocketDebuggerUrl");
    }

    private static string? TokenOf(StackDefinition stack)
    {
        var envFile = stack.EnvFile ?? Path.Combine(stack.Directory, ".env");
        return File.Exists(envFile)
            ? DotEnvFile.Parse(envFile, File.ReadAllText(envFile), _ => null).GetValueOrDefault(TokenVariable)
            : Environment.GetEnvironmentVariable(TokenVariable);
    }
}
