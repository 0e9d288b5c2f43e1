using System.Security.Cryptography;

namespace Datamancy.Stack;

/// <summary>Fresh secrets from the OS's cryptographic RNG, in a form every service of the stack accepts.</summary>
public static class SecretGenerator
{
    /// <summary>Bytes of entropy per generated secret (256 bits).</summary>
    public const int Bytes = 32;

    private static readonly string[] SecretSuffixes = ["_PASSWORD", "_SECRET", "_KEY", "_TOKEN"];

    /// <summary>64 lowercase hex characters: hex suits apps that demand it (Outline) and all others.</summary>
    public static string NewHexSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(Bytes)).ToLowerInvariant();

    /// <summary>A variable holds a secret when its name ends with _PASSWORD, _SECRET, _KEY or _TOKEN.</summary>
    public static bool IsSecretName(string name) => SecretSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));
}
