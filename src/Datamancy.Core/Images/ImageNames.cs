namespace Datamancy.Images;

/// <summary>What an image reference names, as the docker CLI reads it: the registry host, the repository and the tag.</summary>
public static class ImageNames
{
    /// <summary>The key the docker CLI keeps Docker Hub's credentials under.</summary>
    public const string DockerHubKey = "https://index.docker.io/v1/";

    /// <summary>The registry host of a reference: its first part when that has a dot or a port or is localhost, else Docker Hub.</summary>
    public static string Registry(string reference)
    {
        var slash = reference.IndexOf('/');
        if (slash < 0)
        {
            return "docker.io";
        }

        var first = reference[..slash];
        return first.Contains('.') || first.Contains(':') || first == "localhost" ? first : "docker.io";
    }

    /// <summary>The repository without tag or digest ("127.0.0.1:5000/app" for "127.0.0.1:5000/app:2").</summary>
    public static string Repository(string reference)
    {
        var at = reference.IndexOf('@');
        var name = at >= 0 ? reference[..at] : reference;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    /// <summary>The tag ("latest" when none is given and no digest pins it), or null for a digest reference.</summary>
    public static string? Tag(string reference)
    {
        if (reference.Contains('@'))
        {
            return null;
        }

        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? reference[(colon + 1)..] : "latest";
    }

    /// <summary>Of an image's repo digests ("repo@sha256:..."), the digest of <paramref name="reference"/>'s repository; empty when it has none.</summary>
    public static string DigestFor(string reference, IEnumerable<string> repoDigests)
    {
        var repository = Repository(reference);
        var candidates = repository.Contains('/') ? [repository] : new[] { repository, "docker.io/library/" + repository, "library/" + repository };
        foreach (var entry in repoDigests)
        {
            var at = entry.IndexOf('@');
            if (at > 0 && candidates.Contains(entry[..at], StringComparer.Ordinal))
            {
                return entry[(at + 1)..];
            }
        }

        return string.Empty;
    }
}
