using System.Text;

namespace Datamancy.Engine;

/// <summary>
/// The standard output of an attached exec as a read-only stream, pulled from the engine's
/// multiplexed stream on demand, so a dump of any size flows through without being held in memory.
/// Standard error is kept aside (its last 8 KiB) for error messages.
/// </summary>
public sealed class ExecOutputStream(IOutputReader reader) : ReadOnlyStream
{
    private const int ErrorTailLimit = 8192;
    private readonly StringBuilder _errorTail = new();
    private bool _ended;

    public string ErrorTail => _errorTail.ToString();

    /// <summary>True once the command's output has ended (the command closed it, or exited).</summary>
    public bool Ended => _ended;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var array = new byte[Math.Min(buffer.Length, 81920)];
        while (!_ended)
        {
            var frame = await reader.ReadAsync(array, cancellationToken).ConfigureAwait(false);
            if (frame.End)
            {
                _ended = true;
                break;
            }

            if (frame.Target == OutputTarget.StandardError)
            {
                KeepError(array.AsSpan(0, frame.Count));
                continue;
            }

            array.AsSpan(0, frame.Count).CopyTo(buffer.Span);
            return frame.Count;
        }

        return 0;
    }

    /// <summary>Reads to the end, discarding standard output, so the error tail and the exit code are final.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    private void KeepError(ReadOnlySpan<byte> bytes)
    {
        _errorTail.Append(Encoding.UTF8.GetString(bytes));
        if (_errorTail.Length > ErrorTailLimit)
        {
            _errorTail.Remove(0, _errorTail.Length - ErrorTailLimit);
        }
    }
}

/// <summary>The standard input of an attached exec as a write-only stream. Disposing it does not close the input: the runner does, once.</summary>
public sealed class ExecInputStream(IExecSession session) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        session.WriteAsync(buffer.AsMemory(offset, count), cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(session.WriteAsync(buffer, cancellationToken));

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
