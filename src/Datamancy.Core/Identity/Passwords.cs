using System.Net;
using System.Security;
using System.Security.Cryptography;
using Datamancy.Errors;

namespace Datamancy.Identity;

/// <summary>
/// User passwords: generated from the OS's cryptographic RNG and handed out only as SecureString;
/// the plain text exists just long enough to send it to the directory.
/// </summary>
public static class Passwords
{
    public const int MinimumLength = 12;

    public const int GeneratedLength = 24;

    // Letters and digits only (57 symbols, about 140 bits at 24 characters): they survive any shell, form or CSV.
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public static SecureString Generate()
    {
        var secure = new SecureString();
        foreach (var c in RandomNumberGenerator.GetItems<char>(Alphabet, GeneratedLength))
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>Refuses a password shorter than <see cref="MinimumLength"/>; the message never shows it.</summary>
    public static void CheckStrength(SecureString password, string user)
    {
        if (password.Length < MinimumLength)
        {
            throw new DatamancyException(ErrorIds.PasswordTooWeak, ErrorKind.InvalidArgument,
                $"The password given for '{DirectoryNames.Printable(user)}' has {password.Length} characters; a password needs at least {MinimumLength}. Give a longer one, or omit -Password to get a generated one.", user);
        }
    }

    internal static string Reveal(SecureString password) => new NetworkCredential(string.Empty, password).Password;
}
