namespace Datamancy.Fingerprints;

/// <summary>
/// One line of GNU coreutils' sha256sum output, byte for byte (coreutils 9: digest.c,
/// print_filename): "&lt;hex&gt;  &lt;name&gt;\n". A name holding a backslash, a newline or a carriage
/// return is escaped ('\\' to "\\\\", '\n' to "\\n", '\r' to "\\r") and its line starts with a backslash.
/// </summary>
public static class Sha256SumLine
{
    public const int DigestLength = 32;

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>True when sha256sum escapes the name (and prefixes its line with a backslash).</summary>
    public static bool NeedsEscape(ReadOnlySpan<byte> name) => name.IndexOfAny((byte)'\\', (byte)'\n', (byte)'\r') >= 0;

    /// <summary>The most bytes <see cref="Write"/> needs for a name of this length.</summary>
    public static int MaxLength(int nameLength) => 1 + (2 * DigestLength) + 2 + (2 * nameLength) + 1;

    /// <summary>Writes the line into <paramref name="destination"/> and returns its length.</summary>
    public static int Write(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> name, Span<byte> destination)
    {
        var escape = NeedsEscape(name);
        var at = 0;
        if (escape)
        {
            destination[at++] = (byte)'\\';
        }

        foreach (var b in digest)
        {
            destination[at++] = HexDigits[b >> 4];
            destination[at++] = HexDigits[b & 0xF];
        }

        destination[at++] = (byte)' ';
        destination[at++] = (byte)' '; // text mode: a space, where binary mode would write '*'
        foreach (var b in name)
        {
            switch (b)
            {
                case (byte)'\\' when escape:
                    destination[at++] = (byte)'\\';
                    destination[at++] = (byte)'\\';
                    break;
                case (byte)'\n':
                    destination[at++] = (byte)'\\';
                    destination[at++] = (byte)'n';
                    break;
                case (byte)'\r':
                    destination[at++] = (byte)'\\';
                    destination[at++] = (byte)'r';
                    break;
                default:
                    destination[at++] = b;
                    break;
            }
        }

        destination[at++] = (byte)'\n';
        return at;
    }

    /// <summary>The line as a new array.</summary>
    public static byte[] Format(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> name)
    {
        var buffer = new byte[MaxLength(name.Length)];
        return buffer[..Write(digest, name, buffer)];
    }

    /// <summary>Lowercase hex, as sha256sum prints a digest.</summary>
    public static string Hex(ReadOnlySpan<byte> digest) => Convert.ToHexString(digest).ToLowerInvariant();
}
