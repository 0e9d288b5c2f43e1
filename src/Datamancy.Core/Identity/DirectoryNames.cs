using System.Text.RegularExpressions;
using Datamancy.Errors;

namespace Datamancy.Identity;

/// <summary>
/// What names and values the module accepts. New user names follow <see cref="UserNamePattern"/>,
/// which every app behind Authelia takes as a login; names of existing entries may be anything
/// without control characters (people created by other tools), and are escaped, never trusted.
/// </summary>
public static partial class DirectoryNames
{
    /// <summary>A lower-case letter, then up to 31 lower-case letters, digits, '.', '_' or '-'.</summary>
    public const string UserNamePattern = "^[a-z][a-z0-9._-]{0,31}$";

    public const int MaxLength = 256;

    public static void CheckNewUserName(string name)
    {
        if (!NewUserName().IsMatch(name))
        {
            throw new DatamancyException(ErrorIds.InvalidUserName, ErrorKind.InvalidArgument,
                $"The user name '{Printable(name)}' is not allowed: a new user name starts with a lower-case letter, followed by up to 31 lower-case letters, digits, '.', '_' or '-' (pattern {UserNamePattern}). Choose a name such as 'alice' or 'j.doe'.", name);
        }
    }

    /// <summary>A name to look up: any text without control characters, at most 256 characters.</summary>
    public static void CheckExistingName(string name, bool isGroup)
    {
        if (!IsPlainText(name, MaxLength))
        {
            var (id, what) = isGroup ? (ErrorIds.InvalidGroupName, "group") : (ErrorIds.InvalidUserName, "user");
            throw new DatamancyException(id, ErrorKind.InvalidArgument,
                $"The {what} name '{Printable(name)}' is not valid: it must be 1 to {MaxLength} characters without control characters (such as NUL or a line break).", name);
        }
    }

    public static void CheckDisplayName(string displayName)
    {
        if (!IsPlainText(displayName, MaxLength) || displayName.Trim().Length == 0)
        {
            throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidArgument,
                $"The display name '{Printable(displayName)}' is not valid: it must be 1 to {MaxLength} characters, not only spaces, without control characters.", displayName);
        }
    }

    public static void CheckMail(string mail)
    {
        if (mail.Length > 254 || !MailAddress().IsMatch(mail))
        {
            throw new DatamancyException(ErrorIds.InvalidMailAddress, ErrorKind.InvalidArgument,
                $"The mail address '{Printable(mail)}' is not valid: write it as name@domain, such as alice@example.com (Authelia sends password resets there).", mail);
        }
    }

    /// <summary>A -Name pattern PowerShell cannot read as a wildcard (such as an unclosed '[').</summary>
    public static DatamancyException InvalidPattern(string pattern, bool isGroup) =>
        new(isGroup ? ErrorIds.InvalidGroupName : ErrorIds.InvalidUserName, ErrorKind.InvalidArgument,
            $"'{Printable(pattern)}' is not a valid wildcard pattern; escape a literal '[', ']', '*' or '?' with a backtick (`).", pattern);

    /// <summary>The name with control characters shown as \uXXXX, so an error message stays one readable line.</summary>
    public static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private static bool IsPlainText(string text, int maxLength)
    {
        if (text.Length == 0 || text.Length > maxLength)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    // \z, not $: in .NET '$' also matches before a final line break.
    [GeneratedRegex(@"^[a-z][a-z0-9._-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NewUserName();

    [GeneratedRegex(@"^[^\s@<>()\[\],;:\\""]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex MailAddress();
}
