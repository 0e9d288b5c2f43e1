using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Datamancy.Checks.Browser;

/// <summary>
/// A minimal Chrome DevTools Protocol client over one WebSocket: commands are matched to their
/// responses by id, events are handed to whoever waits for them. Sessions (flattened targets) share it.
/// </summary>
public sealed class CdpConnection : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<Guid, (string Method, string? SessionId, TaskCompletionSource<JsonElement> Waiter)> _waiters = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _nextId;

    public CdpConnection(WebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Sends a command and returns its "result"; a CDP error becomes a CdpException.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters, string? sessionId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = JsonSerializer.SerializeToNode(parameters ?? new { }) };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        if (_receiving.IsCompleted)
        {
            completion.TrySetException(Closed());
        }

        try
        {
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }

            return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Starts waiting for an event (before the command that causes it); the task ends with its "params".</summary>
    public Task<JsonElement> WaitForEventAsync(string method, string? sessionId, CancellationToken cancellationToken)
    {
        var key = Guid.NewGuid();
        var waiter = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters[key] = (method, sessionId, waiter);
        if (_receiving.IsCompleted)
        {
            waiter.TrySetException(Closed());
        }

        return Remove(waiter.Task.WaitAsync(cancellationToken), key);

        async Task<JsonElement> Remove(Task<JsonElement> task, Guid k)
        {
            try
            {
                return await task.ConfigureAwait(false);
            }
            finally
            {
                _waiters.TryRemove(k, out _);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        Exception? failure = null;
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                try
                {
                    Dispatch(message.ToArray());
                }
                catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException)
                {
                    // A message that is not the protocol's shape answers nothing; its command times out.
                }

                message.SetLength(0);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            failure = exception;
        }

        var closed = Closed(failure);
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(closed);
        }

        foreach (var waiter in _waiters.Values)
        {
            waiter.Waiter.TrySetException(closed);
        }
    }

    private void Dispatch(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id) && id.TryGetInt32(out var number))
        {
            if (_pending.TryGetValue(number, out var completion))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    var text = error.TryGetProperty("message", out var m) ? m.GetString() : error.ToString();
                    completion.TrySetException(new CdpException(text ?? "unknown error"));
                }
                else
                {
                    completion.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }
            }

            return;
        }

        if (!root.TryGetProperty("method", out var method))
        {
            return;
        }

        var name = method.GetString();
        var session = root.TryGetProperty("sessionId", out var s) ? s.GetString() : null;
        var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
        foreach (var (_, (wanted, sessionId, waiter)) in _waiters)
        {
            if (wanted == name && sessionId == session)
            {
                waiter.TrySetResult(parameters);
            }
        }
    }

    private static CdpException Closed(Exception? inner = null) =>
        new($"the browser closed the DevTools connection{(inner is null ? string.Empty : $" ({inner.Message.Trim()})")}", inner);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing is best effort: the browser may already be gone.
        }

        _stop.Cancel();
        await _receiving.ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}

/// <summary>The browser answered a DevTools command with an error, or the connection closed.</summary>
public sealed class CdpException(string message, Exception? inner = null) : Exception(message, inner);
