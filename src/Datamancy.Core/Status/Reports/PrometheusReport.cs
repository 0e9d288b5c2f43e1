using System.Globalization;
using System.Text;

namespace Datamancy.Status.Reports;

/// <summary>
/// The node_exporter textfile collector format: HELP and TYPE per metric, gauges only, label values
/// escaped, no client timestamps (the collector skips a file that has them), a newline after the
/// last line. One-shot jobs have no datamancy_service_up, since not running is their normal state.
/// </summary>
public static class PrometheusReport
{
    public static string Render(StatusReport report)
    {
        var text = new StringBuilder();
        var services = report.Services;
        Gauge(text, "datamancy_stack_up", "1 when the stack is Up, 0 when it is Degraded or Down.",
            [(Labels(("stack", report.Summary.Name)), report.Summary.State == StackState.Up ? 1 : 0)]);
        Gauge(text, "datamancy_stack_state", "1 for the stack's state (Up, Degraded, Down), 0 for the others.",
            Enum.GetValues<StackState>().Select(s => (Labels(("stack", report.Summary.Name), ("state", s.ToString())), (double)(report.Summary.State == s ? 1 : 0))));
        Gauge(text, "datamancy_service_up", "1 when the service's container is running.",
            services.Where(s => !s.IsJob).Select(s => (ServiceLabels(s), (double)(s.State == ContainerState.Running ? 1 : 0))));
        Gauge(text, "datamancy_service_healthy", "1 when the service is running and healthy, or running without a healthcheck.",
            services.Where(s => !s.IsJob).Select(s => (ServiceLabels(s), (double)(s.State == ContainerState.Running && s.Health != HealthStatus.Unhealthy && s.Health != HealthStatus.Starting ? 1 : 0))));
        Gauge(text, "datamancy_service_start_timestamp_seconds", "When the service's container last started (Unix time); absent when it never did.",
            services.Where(s => s.StartedAt is not null).Select(s => (ServiceLabels(s), (double)s.StartedAt!.Value.ToUnixTimeSeconds())));
        Gauge(text, "datamancy_service_restarts", "How often the engine restarted the service's container under its restart policy since it was created.",
            services.Where(s => s.Restarts is not null).Select(s => (ServiceLabels(s), (double)s.Restarts!.Value)));
        Gauge(text, "datamancy_service_fingerprint_fresh", "1 when the service's fingerprint is the one its tests last passed with.",
            services.Select(s => (ServiceLabels(s), (double)(s.Fingerprint == FingerprintState.Fresh ? 1 : 0))));
        Gauge(text, "datamancy_service_last_test_pass_timestamp_seconds", "When the service's tests last all passed (Unix time); absent when they never did.",
            services.Where(s => s.LastTestPass is not null).Select(s => (ServiceLabels(s), (double)s.LastTestPass!.Value.ToUnixTimeSeconds())));
        Gauge(text, "datamancy_service_backup_ok", "1 when every backup target of the service was backed up within the policy's MaxAge; absent for a service without targets.",
            services.Where(s => s.Backup is not null).Select(s => (ServiceLabels(s), (double)(s.Backup == BackupCompliance.OK ? 1 : 0))));
        Gauge(text, "datamancy_service_last_backup_timestamp_seconds", "The oldest last successful backup among the service's targets (Unix time); absent when one never was.",
            services.Where(s => s.LastBackup is not null).Select(s => (ServiceLabels(s), (double)s.LastBackup!.Value.ToUnixTimeSeconds())));
        Gauge(text, "datamancy_service_certificate_expiry_timestamp_seconds", "When the stack's certificate for the service's hostname expires (Unix time).",
            services.Where(s => s.CertificateExpiry is not null).Select(s => (Labels(("service", s.Name), ("profile", Profile(s)), ("hostname", s.Hostname)), (double)s.CertificateExpiry!.Value.ToUnixTimeSeconds())));
        Gauge(text, "datamancy_service_security_findings", "Open security findings of the service by severity, from the file audit (Test-DatamancySecurity).",
            services.SelectMany(s => Enum.GetValues<SecuritySeverity>().OrderDescending().Select(v =>
                (Labels(("service", s.Name), ("profile", Profile(s)), ("severity", v.ToString())), (double)s.Findings.GetValueOrDefault(v.ToString())))));
        Gauge(text, "datamancy_schedule_last_exit_code", "The exit code of the scheduled task's last run (0: it succeeded).",
            report.Runs.Select(r => (Labels(("task", r.Task.ToString())), (double)r.ExitCode)));
        Gauge(text, "datamancy_schedule_last_run_timestamp_seconds", "When the scheduled task's last run ended (Unix time).",
            report.Runs.Select(r => (Labels(("task", r.Task.ToString())), (double)r.Ended.ToUnixTimeSeconds())));
        Gauge(text, "datamancy_report_generated_timestamp_seconds", "When this file was written (Unix time).",
            [(Labels(("stack", report.Summary.Name)), report.Summary.Time.ToUnixTimeSeconds())]);
        return text.ToString();
    }

    /// <summary>A label value as the text format needs it: backslash, double quote and newline escaped.</summary>
    public static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string ServiceLabels(ServiceStatus service) => Labels(("service", service.Name), ("profile", Profile(service)));

    private static string Profile(ServiceStatus service) => string.Join(",", service.Profiles);

    private static string Labels(params (string Name, string Value)[] labels) =>
        "{" + string.Join(",", labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")) + "}";

    private static void Gauge(StringBuilder text, string name, string help, IEnumerable<(string Labels, double Value)> samples)
    {
        var list = samples.ToList();
        if (list.Count == 0)
        {
            return;
        }

        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var (labels, value) in list)
        {
            text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
