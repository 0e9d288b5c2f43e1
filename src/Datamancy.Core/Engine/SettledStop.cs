namespace Datamancy.Engine;

/// <summary>
/// A container stop that is seen to its end even after Ctrl+C: the engine finishes a stop it has
/// accepted whether or not the client still listens (bounded by the grace period), so abandoning it
/// would leave a container that exits just after the next start has seen it running.
/// </summary>
public static class SettledStop
{
    /// <summary>Stops the container, waiting for the stop even when <paramref name="cancellationToken"/> is cancelled, then honours the cancellation.</summary>
    public static async Task<bool> StopSettledAsync(this IDockerEngine engine, string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        var stopped = await engine.StopContainerAsync(id, grace, CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return stopped;
    }
}
