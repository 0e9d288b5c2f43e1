using System.Text;
using Datamancy.Engine;

namespace Datamancy.Backup;

/// <summary>
/// A tar archive of one regular file, produced as a stream from the file's content and its known
/// size, so it can be sent to the engine's archive API without touching the disk.
/// </summary>
public sealed class SingleFileTar(string name, long size, Stream content, int mode = 0x1A4) : ReadOnlyStream
{
    private readonly byte[] _header = Header(name, size, mode);
    private long _headerOffset;
    private long _contentRead;
    private long _trailerLeft = Padding(size) + 1024;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headerOffset < _header.Length)
        {
            var count = (int)Math.Min(buffer.Length, _header.Length - _headerOffset);
            _header.AsMemory((int)_headerOffset, count).CopyTo(buffer);
            _headerOffset += count;
            return count;
        }

        if (_contentRead < size)
        {
            var read = await content.ReadAsync(buffer[..(int)Math.Min(buffer.Length, size - _contentRead)], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException($"{name} ended after {_contentRead} of its {size} bytes.");
            }

            _contentRead += read;
            return read;
        }

        var zeros = (int)Math.Min(buffer.Length, _trailerLeft);
        buffer.Span[..zeros].Clear();
        _trailerLeft -= zeros;
        return zeros;
    }

    private static long Padding(long size) => (512 - (size % 512)) % 512;

    // POSIX ustar header: name, mode, uid, gid, size and mtime as octal, checksum over the header with spaces in its own field.
    private static byte[] Header(string name, long size, int mode)
    {
        var header = new byte[512];
        Write(header, 0, 100, name);
        Write(header, 100, 8, Convert.ToString(mode, 8).PadLeft(7, '0'));
        Write(header, 108, 8, "0000000");
        Write(header, 116, 8, "0000000");
        Write(header, 124, 12, Convert.ToString(size, 8).PadLeft(11, '0'));
        Write(header, 136, 12, Convert.ToString(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 8).PadLeft(11, '0'));
        header[156] = (byte)'0';
        Write(header, 257, 6, "ustar");
        Write(header, 263, 2, "00");
        Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
        var checksum = header.Sum(b => b);
        Write(header, 148, 8, Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }

    private static void Write(byte[] header, int offset, int length, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > length)
        {
            throw new ArgumentException($"'{value}' does not fit a tar header field of {length} bytes.");
        }

        bytes.CopyTo(header, offset);
    }
}
