using System.Net;
using System.Net.Sockets;
using Datamancy.Errors;
using Docker.DotNet;

namespace Datamancy.Engine;

/// <summary>
/// The one place where Docker.DotNet's and HTTP's exceptions become DatamancyException: a refusal
/// of the engine keeps its own message and gets an id by status (EngineObjectNotFound,
/// EngineConflict, EngineError); a connection that fails or breaks midway is EngineUnreachable.
/// The caller's cancellation stays an OperationCanceledException. The inner exception is kept.
/// </summary>
public static class EngineFailures
{
    /// <summary>The engine refused a request (as opposed to being unreachable): a failure of the one object asked about.</summary>
    public static bool IsRefusal(DatamancyException exception) =>
        exception.ErrorId is ErrorIds.EngineError or ErrorIds.EngineConflict or ErrorIds.EngineObjectNotFound;

    internal static async Task<T> GuardAsync<T>(Uri endpoint, string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception exception) when (Translate(endpoint, what, exception, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    internal static Task GuardAsync(Uri endpoint, string what, Func<Task> call, CancellationToken cancellationToken) =>
        GuardAsync(endpoint, what, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>A lookup: null when the engine has no such object.</summary>
    internal static async Task<T?> FindAsync<T>(Uri endpoint, string what, Func<Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await GuardAsync(endpoint, what, call, cancellationToken).ConfigureAwait(false);
        }
        catch (DatamancyException exception) when (exception.ErrorId == ErrorIds.EngineObjectNotFound)
        {
            return null;
        }
    }

    /// <summary>A removal: false when there was nothing to remove.</summary>
    internal static async Task<bool> RemoveAsync(Uri endpoint, string what, Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await GuardAsync(endpoint, what, call, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DatamancyException exception) when (exception.ErrorId == ErrorIds.EngineObjectNotFound)
        {
            return false;
        }
    }

    /// <summary>The translated exception, or null for one that must pass as it is (the caller's cancellation, or one already ours).</summary>
    internal static Exception? Translate(Uri endpoint, string what, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is DatamancyException || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // A call torn down by the caller's cancellation fails in many ways (a closed socket, a disposed stream).
            return new OperationCanceledException(cancellationToken);
        }

        return exception switch
        {
            DockerApiException api => Refused(endpoint, what, api),
            HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException or ObjectDisposedException =>
                new DatamancyException(ErrorIds.EngineUnreachable, ErrorKind.ConnectionError,
                    $"The engine at {endpoint} stopped answering while it was asked to {what}: {Reason(exception)}. Check that the engine runs (docker version), then try again.",
                    endpoint.ToString(), exception),

            // A response cut short can still parse up to the cut, and then fail as JSON.
            System.Text.Json.JsonException =>
                new DatamancyException(ErrorIds.EngineUnreachable, ErrorKind.ConnectionError,
                    $"The engine at {endpoint} stopped answering while it was asked to {what}: its answer was cut short or is not the Engine API's ({Reason(exception)}). Check that the engine runs (docker version) and that the address is a Docker engine, then try again.",
                    endpoint.ToString(), exception),
            _ => null,
        };
    }

    /// <summary>The engine's own words for a refusal: its response body when it sent one.</summary>
    internal static string EngineMessage(DockerApiException exception) =>
        exception.ResponseBody?.Trim() is { Length: > 0 } body ? Unwrap(body) : exception.Message;

    private static DatamancyException Refused(Uri endpoint, string what, DockerApiException exception) =>
        Refused(endpoint, what, exception.StatusCode, EngineMessage(exception), exception);

    /// <summary>A refusal the engine answered with <paramref name="status"/> and <paramref name="body"/> (its JSON message or text).</summary>
    internal static DatamancyException Refused(Uri endpoint, string what, HttpStatusCode status, string body, Exception? inner)
    {
        var message = $"The engine refused to {what}: {Unwrap(body.Trim())}";
        return status switch
        {
            HttpStatusCode.NotFound => new DatamancyException(ErrorIds.EngineObjectNotFound, ErrorKind.ObjectNotFound, message, endpoint.ToString(), inner),
            HttpStatusCode.Conflict => new DatamancyException(ErrorIds.EngineConflict, ErrorKind.ResourceExists, message, endpoint.ToString(), inner),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new DatamancyException(ErrorIds.EngineError, ErrorKind.PermissionDenied, message, endpoint.ToString(), inner),
            _ => new DatamancyException(ErrorIds.EngineError, ErrorKind.InvalidOperation, message, endpoint.ToString(), inner),
        };
    }

    // The engine answers {"message":"..."}; the message alone reads better.
    private static string Unwrap(string body)
    {
        if (body.StartsWith('{'))
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
                {
                    return text.Trim();
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: the body as it is.
            }
        }

        return body;
    }

    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message.Split('\n')[0].Trim().TrimEnd('.');
    }
}
