using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Datamancy.Security;
using Datamancy.Stack.Model;

namespace Datamancy.Status;

/// <summary>The stack's TLS certificate (the one New-DatamancyCertificate writes for Caddy): when it expires for a hostname it covers.</summary>
public sealed class CertificateExpiry : IDisposable
{
    private readonly X509Certificate2? _certificate;

    private CertificateExpiry(X509Certificate2? certificate) => _certificate = certificate;

    /// <summary>The stack's certificate, or none when its file is missing or unreadable.</summary>
    public static CertificateExpiry Load(StackDefinition stack)
    {
        var path = CertificateLocation.Find(stack).CertificatePath;
        try
        {
            return new CertificateExpiry(File.Exists(path) ? X509Certificate2.CreateFromPem(File.ReadAllText(path)) : null);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new CertificateExpiry(null);
        }
    }

    /// <summary>When the certificate stops being valid for <paramref name="hostname"/>; null when there is none or it does not cover the name.</summary>
    public DateTimeOffset? For(string hostname) =>
        _certificate is not null && hostname.Length > 0 && _certificate.MatchesHostname(hostname)
            ? new DateTimeOffset(_certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero)
            : null;

    public void Dispose() => _certificate?.Dispose();
}
