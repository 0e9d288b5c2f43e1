namespace Datamancy.Status.Reports;

/// <summary>The words a service's row shows in the Markdown and Html tables, shared so both pages say the same.</summary>
public static class ReportCells
{
    public static readonly string[] Headers = ["Service", "State", "Health", "Fingerprint", "Last test pass", "Backup", "Last backup", "Certificate expires", "Findings", "Problems"];

    public static string[] Of(ServiceStatus s) =>
    [
        s.Name,
        s.State.ToString(),
        s.Health.ToString(),
        s.Fingerprint?.ToString() ?? "unknown",
        Date(s.LastTestPass, "never"),
        s.Backup?.ToString() ?? "no targets",
        s.Backup is null ? "-" : Date(s.LastBackup, "never"),
        Date(s.CertificateExpiry, "-"),
        s.Findings.Count == 0 ? "none" : s.Findings.ToString(),
        s.Problems.Count == 0 ? "none" : s.Problems.ToString(),
    ];

    public static string Date(DateTimeOffset? value, string none) => value is { } time ? time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : none;

    public static string Headline(StackStatus summary) =>
        $"{summary.State}: {summary.Running} of {summary.Services} service(s) running, {summary.Well} without a problem";
}
