using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Datamancy.Security;

namespace Datamancy.Checks;

/// <summary>
/// Validates the certificate Caddy presents: the name must match and the chain must end at the
/// stack's own CA (ca.crt) for server authentication; without a ca.crt, at a root the system
/// trusts. Remembers why it refused, for the check's Detail.
/// </summary>
internal sealed class TlsValidator(TrustAnchor trust, bool skip)
{
    /// <summary>Why the last certificate was refused; null when it was accepted.</summary>
    public string? Failure { get; private set; }

    /// <summary>What the last certificate was: subject, expiry, issuer.</summary>
    public string? Summary { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Failure = null;
        if (certificate is null)
        {
            Failure = "Caddy sent no certificate";
            return false;
        }

        using var presented = new X509Certificate2(certificate);
        Summary = $"certificate {presented.GetNameInfo(X509NameType.SimpleName, false)} valid until {presented.NotAfter.ToUniversalTime():yyyy-MM-dd}, issued by {presented.GetNameInfo(X509NameType.SimpleName, true)}";
        if (skip)
        {
            Summary = "certificate NOT checked (-SkipCertificateCheck)";
            return true;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            Failure = $"the certificate is for {string.Join(", ", DnsNames(presented))}, not for the host requested";
            return false;
        }

        if (trust.Error is { } error)
        {
            Failure = error;
            return false;
        }

        if (trust.Authority is not { } authority)
        {
            if (errors != SslPolicyErrors.None)
            {
                Failure = $"the certificate is not trusted by this system and the stack has no {trust.Path} to trust instead ({Statuses(chain)}); run New-DatamancyCertificate";
            }

            return errors == SslPolicyErrors.None;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(authority);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a local CA publishes no revocation lists
        custom.ChainPolicy.ApplicationPolicy.Add(new Oid(CertificateIssuer.ServerAuthOid));
        foreach (var element in chain?.ChainElements.Skip(1) ?? [])
        {
            custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        if (custom.Build(presented))
        {
            return true;
        }

        Failure = $"the certificate ({presented.Subject}, issued by {presented.Issuer}) does not validate against the stack's CA {trust.Path}: {Statuses(custom)}";
        return false;
    }

    private static IEnumerable<string> DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).DefaultIfEmpty(certificate.Subject);

    private static string Statuses(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
}

/// <summary>The stack's CA (ca.crt) the certificates must chain to; null Authority with no Error means the system's roots.</summary>
internal sealed record TrustAnchor(X509Certificate2? Authority, string Path, string? Error);
