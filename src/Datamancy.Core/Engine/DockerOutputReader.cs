using Docker.DotNet;

namespace Datamancy.Engine;

/// <summary>A log or exec stream of Docker.DotNet as frames; a connection that breaks midway is EngineUnreachable, as every call of the seam.</summary>
internal class DockerOutputReader(MultiplexedStream stream, Uri endpoint, string what) : IOutputReader
{
    protected MultiplexedStream Stream => stream;

    protected Uri Endpoint => endpoint;

    protected string What => what;

    public async Task<OutputFrame> ReadAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = await EngineFailures.GuardAsync(endpoint, what, () => stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken), cancellationToken).ConfigureAwait(false);
        return read.EOF
            ? new OutputFrame(0, OutputTarget.StandardOutput, true)
            : new OutputFrame(read.Count, read.Target == MultiplexedStream.TargetStream.StandardError ? OutputTarget.StandardError : OutputTarget.StandardOutput, false);
    }

    public void Dispose()
    {
        stream.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>An exec's stream plus its input and exit code.</summary>
internal sealed class DockerExecSession(DockerClient client, string execId, MultiplexedStream stream, Uri endpoint, string what)
    : DockerOutputReader(stream, endpoint, what), IExecSession
{
    public Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        EngineFailures.GuardAsync(Endpoint, What, () => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
            ? Stream.WriteAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken)
            : Stream.WriteAsync(bytes.ToArray(), 0, bytes.Length, cancellationToken), cancellationToken);

    public void CloseInput() => Stream.CloseWrite();

    public Task<long> GetExitCodeAsync(CancellationToken cancellationToken) =>
        EngineFailures.GuardAsync(Endpoint, What, async () => (await client.Exec.InspectContainerExecAsync(execId, cancellationToken).ConfigureAwait(false)).ExitCode ?? -1, cancellationToken);
}
