using System.Security.Cryptography;
using System.Text;

namespace Datamancy.Security.Secrets;

/// <summary>
/// Password verifiers computed here, so that only the verifier travels to a server: the new value
/// never reaches a server's statement log, binary log or error message.
/// </summary>
public static class PasswordHashes
{
    /// <summary>MariaDB's mysql_native_password: '*' and the upper-case hex of SHA1(SHA1(password)).</summary>
    public static string MySqlNative(string password) =>
        "*" + Convert.ToHexString(SHA1.HashData(SHA1.HashData(Encoding.UTF8.GetBytes(password))));

    /// <summary>PostgreSQL's SCRAM-SHA-256 verifier (RFC 7677), as ALTER ROLE ... PASSWORD accepts it pre-hashed.</summary>
    public static string ScramSha256(string password, byte[]? salt = null, int iterations = 4096)
    {
        salt ??= RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>OpenLDAP's {SSHA}: base64 of SHA1(password + salt) followed by the salt.</summary>
    public static string Ssha(string password, byte[]? salt = null)
    {
        salt ??= RandomNumberGenerator.GetBytes(8);
        var digest = SHA1.HashData([.. Encoding.UTF8.GetBytes(password), .. salt]);
        return "{SSHA}" + Convert.ToBase64String([.. digest, .. salt]);
    }
}
