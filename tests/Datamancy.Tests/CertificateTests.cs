using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Datamancy.Errors;
using Datamancy.Security;

namespace Datamancy.Tests;

public sealed class CertificateTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IssuedCertificate Issued = CertificateIssuer.Issue("Stack.Local", Now);

    [Fact]
    public void Covers_the_wildcard_and_the_bare_domain_for_server_authentication()
    {
        var leaf = Issued.Certificate;
        Assert.Equal("stack.local", Issued.Domain);
        Assert.Equal(["*.stack.local", "stack.local"], leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        var usage = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal([CertificateIssuer.ServerAuthOid], usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        var constraints = leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.False(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        Assert.True(leaf.MatchesHostname("grafana.stack.local"));
        Assert.True(leaf.MatchesHostname("stack.local"));
        Assert.False(leaf.MatchesHostname("a.b.stack.local"));
        Assert.Equal(Now.AddMinutes(-5).UtcDateTime, leaf.NotBefore.ToUniversalTime());
        Assert.Equal(Now.AddDays(CertificateIssuer.DefaultValidityDays).UtcDateTime, leaf.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Makes_a_CA_that_signs_certificates_only_for_the_domain()
    {
        var authority = Issued.Authority;
        var constraints = authority.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.True(constraints.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, authority.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.False(authority.HasPrivateKey);

        var nameConstraints = authority.Extensions.Single(e => e.Oid?.Value == "2.5.29.30");
        Assert.True(nameConstraints.Critical);
        var reader = new AsnReader(nameConstraints.RawData, AsnEncodingRules.DER).ReadSequence();
        var permitted = reader.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        Assert.Equal("stack.local", permitted.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 2)));
        Assert.False(reader.HasData); // no excluded subtrees
    }

    [Fact]
    public void Chains_the_certificate_to_the_CA_alone()
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Issued.Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.AddDays(1).UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(CertificateIssuer.ServerAuthOid));
        Assert.True(chain.Build(Issued.Certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        using var other = new X509Chain();
        other.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        other.ChainPolicy.CustomTrustStore.Add(CertificateIssuer.Issue("stack.local", Now).Authority);
        other.ChainPolicy.VerificationTime = Now.AddDays(1).UtcDateTime;
        Assert.False(other.Build(Issued.Certificate));
    }

    [Fact]
    public void Writes_a_PKCS8_key_that_belongs_to_the_certificate()
    {
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", Issued.PrivateKeyPem, StringComparison.Ordinal);
        using var paired = X509Certificate2.CreateFromPem(Issued.Certificate.ExportCertificatePem(), Issued.PrivateKeyPem);
        Assert.True(paired.HasPrivateKey);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("-bad.local")]
    [InlineData("under_score.local")]
    [InlineData("*.stack.local")]
    [InlineData("")]
    public void Refuses_a_domain_a_wildcard_cannot_cover(string domain) =>
        Assert.Equal(ErrorIds.InvalidDomain, Assert.Throws<DatamancyException>(() => CertificateIssuer.CheckDomain(domain)).ErrorId);

    [Theory]
    [InlineData("grafana.stack.local", true)]
    [InlineData("stack.local", true)]
    [InlineData("a.b.stack.local", false)]
    [InlineData("grafana.other.local", false)]
    [InlineData("xstack.local", false)]
    public void Knows_which_hostnames_it_covers(string hostname, bool covered) =>
        Assert.Equal(covered, CertificateIssuer.Covers("stack.local", hostname));

    [Fact]
    public void Writes_the_files_and_refuses_to_overwrite_them_without_force()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dm-xunit-certs-" + Guid.NewGuid().ToString("N"));
        try
        {
            var location = new CertificateLocation(folder, null);
            CertificateWriter.CheckOverwrite(location, force: false);
            Assert.Empty(CertificateWriter.Write(location, Issued));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(location.KeyPath));
            }

            Assert.Equal(Issued.Certificate.Thumbprint, X509Certificate2.CreateFromPemFile(location.CertificatePath, location.KeyPath).Thumbprint);
            var error = Assert.Throws<DatamancyException>(() => CertificateWriter.CheckOverwrite(location, force: false));
            Assert.Equal(ErrorIds.CertificateExists, error.ErrorId);
            CertificateWriter.CheckOverwrite(location, force: true);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
