using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Datamancy.Checks.Browser;

namespace Datamancy.Tests.Browser;

/// <summary>
/// An in-process DevTools peer on a loopback socket: every command it receives is handed to the
/// test's handler, which returns the messages to send back (responses and events, in that order).
/// </summary>
internal sealed class FakeDevTools : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<JsonElement, IEnumerable<object>> _handler;
    private WebSocket? _server;
    private Task? _serving;

    private FakeDevTools(Func<JsonElement, IEnumerable<object>> handler) => _handler = handler;

    public List<string> Methods { get; } = [];

    public CdpConnection Connection { get; private set; } = null!;

    public static async Task<FakeDevTools> StartAsync(Func<JsonElement, IEnumerable<object>> handler)
    {
        var fake = new FakeDevTools(handler);
        fake._listener.Start();
        var client = new TcpClient();
        var accepting = fake._listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)fake._listener.LocalEndpoint).Port);
        var server = await accepting;
        fake._server = WebSocket.CreateFromStream(server.GetStream(), true, null, TimeSpan.Zero);
        fake.Connection = new CdpConnection(WebSocket.CreateFromStream(client.GetStream(), false, null, TimeSpan.Zero));
        fake._serving = fake.ServeAsync();
        return fake;
    }

    /// <summary>Closes the peer's side, as a browser that goes away does.</summary>
    public Task CloseAsync() => _server!.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

    private async Task ServeAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (_server!.State == WebSocketState.Open)
            {
                var received = await _server.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                using var command = JsonDocument.Parse(buffer.AsMemory(0, received.Count));
                lock (Methods)
                {
                    Methods.Add(command.RootElement.GetProperty("method").GetString()!);
                }

                foreach (var reply in _handler(command.RootElement))
                {
                    await _server.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(reply)), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or IOException)
        {
            // The client went away.
        }
    }

    public static object Result(JsonElement command, object result) =>
        new { id = command.GetProperty("id").GetInt32(), result };

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        _server?.Dispose();
        _listener.Stop();
        if (_serving is not null)
        {
            // A slow machine may take a while to see the close; the test's verdict does not depend on it.
            await Task.WhenAny(_serving, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }
}
