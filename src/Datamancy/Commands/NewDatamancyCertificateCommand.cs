using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Security;

namespace Datamancy.Commands;

/// <summary>Creates a local CA and a wildcard certificate for *.&lt;domain&gt; where the stack's Caddy reads them.</summary>
[Cmdlet(VerbsCommon.New, "DatamancyCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CertificateInfo))]
public sealed class NewDatamancyCertificateCommand : StackCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Domain { get; set; } = "stack.local";

    [Parameter]
    [ValidateRange(1, CertificateIssuer.MaxValidityDays)]
    public int ValidityDays { get; set; } = CertificateIssuer.DefaultValidityDays;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Process()
    {
        var stack = LoadStack();
        var domain = CertificateIssuer.CheckDomain(Domain);
        var location = CertificateLocation.Find(stack);
        CertificateWriter.CheckOverwrite(location, Force);
        var uncovered = stack.Routes.Select(r => r.Hostname).Where(h => h.Length > 0 && !CertificateIssuer.Covers(domain, h)).Distinct().ToList();
        if (uncovered.Count > 0)
        {
            WriteWarning($"These hostnames of the Caddyfile are not covered by *.{domain}: {string.Join(", ", uncovered)}. Browsers will refuse them with this certificate.");
        }

        var existing = CertificateWriter.Existing(location).Count > 0;
        var action = existing
            ? $"Replace ca.crt, wildcard.crt and wildcard.key with a new local CA and a certificate for *.{domain} and {domain}"
            : $"Write a new local CA (ca.crt) and a certificate for *.{domain} and {domain} (wildcard.crt, wildcard.key)";
        if (!ShouldProcess(location.Directory, action))
        {
            return;
        }

        var issued = CertificateIssuer.Issue(domain, DateTimeOffset.UtcNow, ValidityDays);
        foreach (var warning in CertificateWriter.Write(location, issued))
        {
            WriteWarning(warning);
        }

        WriteVerbose($"Wrote {location.AuthorityPath}, {location.CertificatePath} and {location.KeyPath} (mode 600). The CA's private key was not kept.");
        WriteObject(new CertificateInfo(domain, issued.Certificate.Subject, [$"*.{domain}", domain],
            new DateTimeOffset(issued.Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(issued.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            CertificateWriter.Sha256Fingerprint(issued.Certificate), issued.Authority.Subject, CertificateWriter.Sha256Fingerprint(issued.Authority),
            location.CertificatePath, location.KeyPath, location.AuthorityPath, stack.Directory));
    }
}
