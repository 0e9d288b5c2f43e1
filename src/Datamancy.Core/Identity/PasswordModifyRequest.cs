using System.Text;

namespace Datamancy.Identity;

/// <summary>
/// The RFC 3062 Password Modify extended request. Its value is BER:
/// SEQUENCE { userIdentity [0] OCTET STRING, newPasswd [2] OCTET STRING } (oldPasswd [1] is left
/// out: the admin sets it, the user's old one is not needed).
/// </summary>
internal static class PasswordModifyRequest
{
    public const string Oid = "1.3.6.1.4.1.4203.1.11.1";

    /// <summary>The request value; the caller clears it once the request is sent.</summary>
    public static byte[] Encode(string userDn, byte[] newPassword)
    {
        // Each intermediate copy of the password is cleared as soon as the next one exists.
        var secret = Tlv(0x82, newPassword);
        var body = Concat(Tlv(0x80, Encoding.UTF8.GetBytes(userDn)), secret);
        Array.Clear(secret);
        var value = Tlv(0x30, body);
        Array.Clear(body);
        return value;
    }

    /// <summary>A BER tag-length-value with a definite length (short form below 128, long form above).</summary>
    internal static byte[] Tlv(byte tag, byte[] value)
    {
        var length = value.Length;
        byte[] header = length < 0x80
            ? [tag, (byte)length]
            : length <= 0xFF ? [tag, 0x81, (byte)length]
            : length <= 0xFFFF ? [tag, 0x82, (byte)(length >> 8), (byte)length]
            : [tag, 0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length];
        return Concat(header, value);
    }

    private static byte[] Concat(byte[] first, byte[] second)
    {
        var result = new byte[first.Length + second.Length];
        first.CopyTo(result, 0);
        second.CopyTo(result, first.Length);
        return result;
    }
}
