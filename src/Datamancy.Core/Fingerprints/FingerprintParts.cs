using System.Text;

namespace Datamancy.Fingerprints;

/// <summary>
/// What a service's fingerprint is made of. The combined Fingerprint is "sha256:" and the SHA-256
/// of the four compared parts, one "name:value" line each, in this order.
/// </summary>
public sealed record FingerprintParts(string ImageDigest, string RepoDigest, string ConfigHash, string EnvHash, string ComposeHash)
{
    public const string ImageDigestPart = "ImageDigest";
    public const string ConfigHashPart = "ConfigHash";
    public const string EnvHashPart = "EnvHash";
    public const string ComposeHashPart = "ComposeHash";

    public string Fingerprint => ConfigTreeHasher.Prefix + Sha256SumLine.Hex(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(
        $"imageDigest:{ImageDigest}\nconfigHash:{ConfigHash}\nenvHash:{EnvHash}\ncomposeHash:{ComposeHash}\n")));

    /// <summary>The names of the parts that differ from <paramref name="other"/> (RepoDigest follows the image ID, so it is not compared).</summary>
    public IReadOnlyList<string> ChangedFrom(FingerprintParts other)
    {
        var changed = new List<string>();
        if (ImageDigest != other.ImageDigest)
        {
            changed.Add(ImageDigestPart);
        }

        if (ConfigHash != other.ConfigHash)
        {
            changed.Add(ConfigHashPart);
        }

        if (EnvHash != other.EnvHash)
        {
            changed.Add(EnvHashPart);
        }

        if (ComposeHash != other.ComposeHash)
        {
            changed.Add(ComposeHashPart);
        }

        return changed;
    }
}
