using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Datamancy.Errors;

namespace Datamancy.Security;

/// <summary>
/// Makes a local CA and a wildcard certificate for *.&lt;domain&gt; signed by it, with .NET's crypto
/// only. The CA is name-constrained to the domain and its private key is never written: it signs
/// this one certificate and is discarded, so a copy of the stack folder cannot mint certificates
/// that clients trusting ca.crt would accept, for this domain or any other.
/// </summary>
public static partial class CertificateIssuer
{
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string NameConstraintsOid = "2.5.29.30";

    /// <summary>Days a wildcard certificate is valid by default: under the 398 days that browsers accept.</summary>
    public const int DefaultValidityDays = 397;

    /// <summary>Apple's platforms refuse TLS server certificates valid for longer.</summary>
    public const int MaxValidityDays = 825;

    public static IssuedCertificate Issue(string domain, DateTimeOffset now, int validityDays = DefaultValidityDays)
    {
        domain = CheckDomain(domain);
        var notBefore = now.AddMinutes(-5); // tolerate clients whose clocks lag a little
        var notAfter = now.AddDays(validityDays);

        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest(
            new X500DistinguishedName($"CN=Datamancy local CA for {domain} {now.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, O=Datamancy"),
            authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        authorityRequest.CertificateExtensions.Add(NameConstraints(domain));
        // The CA lives exactly as long as the one certificate it signs.
        using var authority = authorityRequest.CreateSelfSigned(notBefore, notAfter.AddMinutes(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest(new X500DistinguishedName($"CN=*.{domain}, O=Datamancy"), leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName($"*.{domain}");
        names.AddDnsName(domain);
        leafRequest.CertificateExtensions.Add(names.Build(false));
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], false));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var leaf = leafRequest.Create(authority, notBefore, notAfter, serial);

        return new IssuedCertificate(
            domain,
            new X509Certificate2(authority.RawData),
            new X509Certificate2(leaf.RawData),
            leafKey.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Lower-cased; at least two labels of letters, digits and inner hyphens.</summary>
    public static string CheckDomain(string domain)
    {
        var normalized = domain.Trim().TrimEnd('.').ToLowerInvariant();
        if (!DomainPattern().IsMatch(normalized) || normalized.Length > 253)
        {
            throw new DatamancyException(ErrorIds.InvalidDomain, ErrorKind.InvalidArgument,
                $"'{domain}' is not a domain a wildcard certificate can cover; give at least two labels of letters, digits and inner hyphens, such as stack.local.", domain);
        }

        return normalized;
    }

    /// <summary>True when *.&lt;domain&gt; or &lt;domain&gt; covers the hostname (a wildcard covers exactly one label).</summary>
    public static bool Covers(string domain, string hostname)
    {
        hostname = hostname.TrimEnd('.').ToLowerInvariant();
        if (hostname == domain)
        {
            return true;
        }

        return hostname.EndsWith("." + domain, StringComparison.Ordinal) && !hostname[..^(domain.Length + 1)].Contains('.');
    }

    /// <summary>DER of a critical NameConstraints extension that permits the domain and its subdomains only (RFC 5280 4.2.1.10).</summary>
    private static X509Extension NameConstraints(string domain)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, domain, new Asn1Tag(TagClass.ContextSpecific, 2));
        }

        return new X509Extension(NameConstraintsOid, writer.Encode(), critical: true);
    }

    [GeneratedRegex("^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainPattern();
}

/// <summary>A CA certificate (public part only), the wildcard certificate and its private key as PKCS#8 PEM.</summary>
public sealed record IssuedCertificate(string Domain, X509Certificate2 Authority, X509Certificate2 Certificate, string PrivateKeyPem);
