using System.Security.Cryptography;
using System.Text;
using Datamancy.Errors;
using Datamancy.Files;

namespace Datamancy.Security;

/// <summary>Writes ca.crt, wildcard.crt (mode 644) and wildcard.key (mode 600) where the stack's Caddy reads them.</summary>
public static class CertificateWriter
{
    /// <summary>The TLS files already there, which only -Force may replace.</summary>
    public static IReadOnlyList<string> Existing(CertificateLocation location) =>
        new[] { location.AuthorityPath, location.CertificatePath, location.KeyPath }.Where(File.Exists).ToList();

    /// <summary>Throws CertificateExists when a file would be replaced without <paramref name="force"/>.</summary>
    public static void CheckOverwrite(CertificateLocation location, bool force)
    {
        var existing = Existing(location);
        if (existing.Count > 0 && !force)
        {
            throw new DatamancyException(ErrorIds.CertificateExists, ErrorKind.ResourceExists,
                $"The stack already has TLS files: {string.Join(", ", existing)}. Use -Force to replace them with a new CA and certificate; clients that trust the old ca.crt must then trust the new one.",
                location.Directory);
        }
    }

    /// <summary>Writes the files; returns warnings (a key the service's user cannot read).</summary>
    public static IReadOnlyList<string> Write(CertificateLocation location, IssuedCertificate issued)
    {
        var warnings = new List<string>();
        try
        {
            Directory.CreateDirectory(location.Directory);
            PrivateFile.WriteAllText(location.KeyPath, issued.PrivateKeyPem + "\n");
            WritePublic(location.CertificatePath, issued.Certificate.ExportCertificatePem() + "\n");
            WritePublic(location.AuthorityPath, issued.Authority.ExportCertificatePem() + "\n");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DatamancyException(ErrorIds.FileUnwritable, ErrorKind.PermissionDenied,
                $"Cannot write the TLS files to '{location.Directory}': {exception.Message} Make the folder writable by you.", location.Directory, exception);
        }

        // Mode 600 keeps everyone but the owner out, so the owner must be the user Caddy runs as.
        if (location.ServiceUser is { } user && !OperatingSystem.IsWindows())
        {
            var service = location.Service!.Name;
            if (UnixOwnership.IsRoot)
            {
                if (UnixOwnership.Change(location.KeyPath, user.Uid, user.Gid) is { } error)
                {
                    warnings.Add($"Could not give {location.KeyPath} to {user.Uid}:{user.Gid} ({error}); '{service}' runs as that user and cannot read it until you do: chown {user.Uid}:{user.Gid} '{location.KeyPath}'.");
                }
            }
            else
            {
                warnings.Add($"{location.KeyPath} is mode 600 and yours, but '{service}' runs as {user.Uid}:{user.Gid} and cannot read it: run sudo chown {user.Uid}:{user.Gid} '{location.KeyPath}'.");
            }
        }

        return warnings;
    }

    /// <summary>Lowercase hex SHA-256 of a certificate's DER, as browsers show it.</summary>
    public static string Sha256Fingerprint(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.RawData)).ToLowerInvariant();

    private static void WritePublic(string path, string content)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, content, new UTF8Encoding(false));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
