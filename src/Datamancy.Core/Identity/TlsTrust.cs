using System.DirectoryServices.Protocols;
using System.Security.Cryptography.X509Certificates;

namespace Datamancy.Identity;

/// <summary>
/// Makes libldap (or Windows' LDAP) trust a given CA for one connection, keeping certificate and
/// host name validation on. libldap takes a folder of trusted certificates, not a file, so a single
/// CA file is copied into a private temporary folder that lives as long as the connection.
/// </summary>
internal sealed class TlsTrust : IDisposable
{
    private string? _temporaryDirectory;

    public void Apply(LdapConnection connection, DirectoryEndpoint endpoint, string? caCertificate)
    {
        if (caCertificate is null)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            var authority = X509Certificate2.CreateFromPemFile(caCertificate);
            connection.SessionOptions.VerifyServerCertificate = (_, certificate) => IsTrusted(authority, certificate, endpoint.Host);
            return;
        }

        var directory = caCertificate;
        if (File.Exists(caCertificate))
        {
            // Created with mode 700 on Unix.
            _temporaryDirectory = Directory.CreateTempSubdirectory("datamancy-ca-").FullName;
            File.Copy(caCertificate, Path.Combine(_temporaryDirectory, "ca.pem"));
            directory = _temporaryDirectory;
        }

        connection.SessionOptions.TrustedCertificatesDirectory = directory;
        connection.SessionOptions.StartNewTlsSessionContext();
    }

    public void Dispose()
    {
        if (_temporaryDirectory is not null && Directory.Exists(_temporaryDirectory))
        {
            Directory.Delete(_temporaryDirectory, recursive: true);
        }
    }

    private static bool IsTrusted(X509Certificate2 authority, X509Certificate certificate, string host)
    {
        using var server = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server) && server.MatchesHostname(host);
    }
}
