using System.Buffers;
using System.Security.Cryptography;
using Datamancy.Errors;

namespace Datamancy.Fingerprints;

/// <summary>
/// ConfigHash: "sha256:" and the hex that this pipeline prints when run in the folder, so that
/// anyone can check it without the module:
/// <code>find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum</code>
/// An empty folder (and a missing one) hashes as the pipeline does there: xargs still runs
/// sha256sum once, which hashes its empty standard input and prints "e3b0…b855  -".
/// </summary>
public static class ConfigTreeHasher
{
    public const string Prefix = "sha256:";

    private static readonly byte[] StandardInputName = "-"u8.ToArray();

    /// <summary>The ConfigHash of one folder.</summary>
    public static string Hash(string folder, CancellationToken cancellationToken = default)
    {
        var result = HashAll([folder], cancellationToken)[0];
        return result.Hash ?? throw result.Error!;
    }

    /// <summary>
    /// The ConfigHash of each folder, all their files hashed in one parallel pass. A folder that
    /// cannot be read gets an error instead of a hash; the others are still hashed.
    /// </summary>
    public static IReadOnlyList<ConfigTreeResult> HashAll(IReadOnlyList<string> folders, CancellationToken cancellationToken)
    {
        var errors = new DatamancyException?[folders.Count];
        var trees = new TreeFile[folders.Count][];
        for (var i = 0; i < folders.Count; i++)
        {
            try
            {
                trees[i] = ConfigTreeFiles.List(folders[i]);
            }
            catch (DatamancyException exception)
            {
                errors[i] = exception;
                trees[i] = [];
            }
        }

        var files = trees.SelectMany(t => t).ToArray();
        var owners = trees.SelectMany((t, i) => Enumerable.Repeat(i, t.Length)).ToArray();
        var digests = new byte[files.Length * Sha256SumLine.DigestLength];
        FileDigester.HashAll(files, digests, (index, exception) =>
        {
            lock (errors)
            {
                errors[owners[index]] ??= ConfigTreeFiles.Unreadable(files[index].FullPath, exception);
            }
        }, cancellationToken);

        var results = new ConfigTreeResult[folders.Count];
        var start = 0;
        for (var i = 0; i < folders.Count; i++)
        {
            results[i] = errors[i] is { } error
                ? new ConfigTreeResult(folders[i], null, error)
                : new ConfigTreeResult(folders[i], Listing(trees[i], digests.AsSpan(start * Sha256SumLine.DigestLength)), null);
            start += trees[i].Length;
        }

        return results;
    }

    /// <summary>The outer sha256sum: the hash of the listing the inner one prints.</summary>
    public static string Listing(IReadOnlyList<TreeFile> files, ReadOnlySpan<byte> digests)
    {
        using var listing = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            if (files.Count == 0)
            {
                Append(listing, SHA256.HashData(ReadOnlySpan<byte>.Empty), StandardInputName, ref line);
            }

            for (var i = 0; i < files.Count; i++)
            {
                Append(listing, digests.Slice(i * Sha256SumLine.DigestLength, Sha256SumLine.DigestLength), files[i].Name, ref line);
            }

            return Prefix + Sha256SumLine.Hex(listing.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(line);
        }
    }

    private static void Append(IncrementalHash listing, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> name, ref byte[] line)
    {
        var needed = Sha256SumLine.MaxLength(name.Length);
        if (line.Length < needed)
        {
            ArrayPool<byte>.Shared.Return(line);
            line = ArrayPool<byte>.Shared.Rent(needed);
        }

        listing.AppendData(line, 0, Sha256SumLine.Write(digest, name, line));
    }
}

/// <summary>A folder's ConfigHash, or why it has none.</summary>
public sealed record ConfigTreeResult(string Folder, string? Hash, DatamancyException? Error);
