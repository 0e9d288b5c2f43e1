using System.Text.RegularExpressions;

namespace Datamancy.Stack;

/// <summary>Tells which environment variables of a service hold secrets, by their names.</summary>
public static partial class SecretNames
{
    /// <summary>
    /// A compose environment key that holds a secret: it names a password, secret, token, key or
    /// credential (GF_SECURITY_ADMIN_PASSWORD, PAPERLESS_DBPASS, REDISCLI_AUTH, TOKEN), and is not
    /// a user name, a path to a secret file, a lifetime or a switch.
    /// </summary>
    public static bool IsSecretKey(string key) =>
        (SecretGenerator.IsSecretName(key) || SecretKey().IsMatch(key)) && !NotSecretKey().IsMatch(key);

    /// <summary>
    /// The .env variables that hold secrets: named like one (_PASSWORD, _SECRET, _KEY, _TOKEN), or
    /// feeding a compose environment key that holds one.
    /// </summary>
    public static IReadOnlyList<string> SecretVariables(IEnumerable<string> envNames, RawCompose raw)
    {
        var fed = raw.Environment.Where(e => IsSecretKey(e.Key)).SelectMany(e => RawCompose.References(e.Raw)).ToHashSet(StringComparer.Ordinal);
        return envNames.Where(n => SecretGenerator.IsSecretName(n) || fed.Contains(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex("(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIALS|APIKEY|API_KEY|PRIVATE_KEY)|(_PASS|DBPASS|_PWD|_KEY|_AUTH)$|^(KEY|TOKEN|PASSWORD|PASS)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();

    [GeneratedRegex("(_FILE|_PATH|_DIR|_USER|_USERNAME|_URL|_HOST|_PORT)$|EXPIR|TTL|LIFETIME|LENGTH|TIMEOUT|ENABLED|ALGORITHM|_TYPE$|_ID$", RegexOptions.IgnoreCase)]
    private static partial Regex NotSecretKey();
}
