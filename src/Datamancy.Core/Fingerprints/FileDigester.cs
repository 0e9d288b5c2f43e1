using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Datamancy.Fingerprints;

/// <summary>
/// SHA-256 of files' contents, streamed through one buffer per worker, many files in parallel.
/// .NET's SHA-256 is the platform's (OpenSSL on Linux), which uses the CPU's SHA extensions.
/// </summary>
public static class FileDigester
{
    private const int BufferSize = 1 << 20;

    // Above this size reading and hashing overlap: while one chunk is hashed the next is read.
    private const long OverlapThreshold = 8L << 20;

    /// <summary>Fills <paramref name="digests"/> (32 bytes per file, in order) with each file's SHA-256.</summary>
    /// <param name="failed">Called with the index and the exception of each file that cannot be read.</param>
    public static void HashAll(IReadOnlyList<TreeFile> files, byte[] digests, Action<int, Exception> failed, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, files.Count, options, () => ArrayPool<byte>.Shared.Rent(BufferSize), (i, _, buffer) =>
        {
            try
            {
                Hash(files[i].FullPath, files[i].Length, buffer, digests.AsSpan(i * Sha256SumLine.DigestLength, Sha256SumLine.DigestLength));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                failed(i, exception);
            }

            return buffer;
        }, buffer => ArrayPool<byte>.Shared.Return(buffer));
    }

    /// <summary>SHA-256 of one file.</summary>
    public static byte[] Hash(string path)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var digest = new byte[Sha256SumLine.DigestLength];
            Hash(path, new FileInfo(path).Length, buffer, digest);
            return digest;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The length comes from the directory listing and only picks the strategy: the file is read to its end either way.
    private static void Hash(string path, long length, byte[] buffer, Span<byte> digest)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            length >= OverlapThreshold ? FileOptions.SequentialScan : FileOptions.None);
        if (length >= OverlapThreshold)
        {
            HashOverlapped(handle, buffer, digest);
            return;
        }

        // Most config files fit the buffer: one read, one-shot hash. Read on to EOF as sha256sum does.
        var read = ReadFull(handle, buffer, 0);
        if (read < buffer.Length)
        {
            SHA256.HashData(buffer.AsSpan(0, read), digest);
            return;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long offset = 0;
        while (read > 0)
        {
            hash.AppendData(buffer, 0, read);
            offset += read;
            read = ReadFull(handle, buffer, offset);
        }

        hash.GetHashAndReset(digest);
    }

    // Two buffers: the next chunk is read on the thread pool while this thread hashes the current one.
    private static void HashOverlapped(SafeFileHandle handle, byte[] first, Span<byte> digest)
    {
        var second = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var current = first;
            var next = second;
            long offset = 0;
            var read = ReadFull(handle, current, offset);
            while (read > 0)
            {
                offset += read;
                var nextOffset = offset;
                var nextBuffer = next;
                var pending = Task.Run(() => ReadFull(handle, nextBuffer, nextOffset));
                hash.AppendData(current, 0, read);
                read = pending.GetAwaiter().GetResult();
                (current, next) = (next, current);
            }

            hash.GetHashAndReset(digest);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(second);
        }
    }

    private static int ReadFull(SafeFileHandle handle, byte[] buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(total), offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
