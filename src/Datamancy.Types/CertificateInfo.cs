namespace Datamancy;

/// <summary>The local CA and wildcard certificate that New-DatamancyCertificate wrote.</summary>
public sealed class CertificateInfo
{
    public CertificateInfo(string domain, string subject, string[] dnsNames, DateTimeOffset notBefore, DateTimeOffset notAfter,
        string sha256Fingerprint, string authority, string authoritySha256Fingerprint, string certificatePath, string keyPath,
        string authorityPath, string stackPath)
    {
        Domain = domain;
        Subject = subject;
        DnsNames = new(dnsNames);
        NotBefore = notBefore;
        NotAfter = notAfter;
        Sha256Fingerprint = sha256Fingerprint;
        Authority = authority;
        AuthoritySha256Fingerprint = authoritySha256Fingerprint;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        AuthorityPath = authorityPath;
        StackPath = stackPath;
    }

    public string Domain { get; }

    public string Subject { get; }

    /// <summary>The subject alternative names: *.&lt;domain&gt; and &lt;domain&gt;.</summary>
    public TextList DnsNames { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>SHA-256 of the wildcard certificate (DER), hex.</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>The CA's subject.</summary>
    public string Authority { get; }

    /// <summary>SHA-256 of the CA certificate (DER), hex: compare it when you trust ca.crt on a client.</summary>
    public string AuthoritySha256Fingerprint { get; }

    /// <summary>wildcard.crt (PEM).</summary>
    public string CertificatePath { get; }

    /// <summary>wildcard.key (PEM, PKCS#8, mode 600).</summary>
    public string KeyPath { get; }

    /// <summary>ca.crt (PEM): the certificate clients trust.</summary>
    public string AuthorityPath { get; }

    public string StackPath { get; }
}
