using System.Buffers.Binary;
using Datamancy.Errors;

namespace Datamancy.Engine;

/// <summary>
/// The Engine API's multiplexed stream read here rather than by Docker.DotNet: each frame is an
/// 8-byte header (the stream: 0 stdin, 1 stdout, 2 stderr, 3 the engine's own message; three zero
/// bytes; the length, big-endian) and then its bytes. A swarm service's log ends with a stream-3
/// frame when a node cannot be read ("Error grabbing logs: ... node X is not available"), which
/// Docker.DotNet refuses as an unknown stream, losing the lines read before it.
/// </summary>
public sealed class FrameReader(Func<byte[], int, int, CancellationToken, Task<int>> read, IDisposable source) : IOutputReader
{
    private readonly byte[] _header = new byte[8];
    private int _remaining;
    private OutputTarget _target;

    /// <summary>Frames of a raw byte stream (a test's bytes; the engine's, through <paramref name="read"/> in the adapter).</summary>
    public static FrameReader Over(Stream stream) => new((buffer, offset, count, token) => stream.ReadAsync(buffer, offset, count, token), stream);

    public async Task<OutputFrame> ReadAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        while (_remaining == 0)
        {
            if (!await ReadHeaderAsync(cancellationToken).ConfigureAwait(false))
            {
                return new OutputFrame(0, OutputTarget.StandardOutput, true);
            }

            _target = _header[0] switch
            {
                0 or 1 => OutputTarget.StandardOutput,
                2 => OutputTarget.StandardError,
                3 => OutputTarget.EngineMessage,
                var other => throw Broken($"a frame of unknown stream {other}"),
            };
            _remaining = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(4));
        }

        var count = await read(buffer, 0, Math.Min(buffer.Length, _remaining), cancellationToken).ConfigureAwait(false);
        if (count == 0)
        {
            throw Broken("the stream ended inside a frame");
        }

        _remaining -= count;
        return new OutputFrame(count, _target, false);
    }

    public void Dispose() => source.Dispose();

    // False at the end of the stream between frames; a stream that ends inside a header is broken.
    private async Task<bool> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        for (var filled = 0; filled < _header.Length;)
        {
            var count = await read(_header, filled, _header.Length - filled, cancellationToken).ConfigureAwait(false);
            if (count == 0)
            {
                return filled == 0 ? false : throw Broken("the stream ended inside a frame header");
            }

            filled += count;
        }

        return true;
    }

    private static DatamancyException Broken(string what) =>
        new(ErrorIds.EngineError, ErrorKind.InvalidData, $"The engine's log stream is not in the multiplexed format: {what}.", "logs");
}
