using System.Text;
using System.Text.Json;

namespace Datamancy.Status.Reports;

/// <summary>
/// The status as JSON, schema version 1 (documented in Export-DatamancyReport's help): camelCase
/// names, enums as their names, times as ISO 8601 UTC, null where a value is unknown. Readers ignore
/// fields they do not know; a change old readers would misread raises schemaVersion.
/// </summary>
public static class JsonReport
{
    public const int SchemaVersion = 1;

    public static string Render(StatusReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var summary = report.Summary;
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", SchemaVersion);
            json.WriteString("generatedAt", summary.Time.ToUniversalTime());
            json.WriteStartObject("stack");
            json.WriteString("name", summary.Name);
            json.WriteString("path", summary.StackPath);
            json.WriteString("state", summary.State.ToString());
            json.WriteNumber("services", summary.Services);
            json.WriteNumber("running", summary.Running);
            json.WriteNumber("well", summary.Well);
            Strings(json, "reasons", summary.Reasons);
            json.WriteEndObject();
            json.WriteStartArray("services");
            foreach (var s in report.Services)
            {
                json.WriteStartObject();
                json.WriteString("name", s.Name);
                Strings(json, "profiles", s.Profiles);
                json.WriteBoolean("isJob", s.IsJob);
                json.WriteString("state", s.State.ToString());
                json.WriteString("health", s.Health.ToString());
                json.WriteString("status", s.Status);
                Time(json, "created", s.Created is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null);
                Time(json, "startedAt", s.StartedAt);
                if (s.Uptime is { } uptime)
                {
                    json.WriteNumber("uptimeSeconds", Math.Floor(uptime.TotalSeconds));
                }
                else
                {
                    json.WriteNull("uptimeSeconds");
                }

                if (s.Restarts is { } restarts)
                {
                    json.WriteNumber("restarts", restarts);
                }
                else
                {
                    json.WriteNull("restarts");
                }

                Text(json, "fingerprint", s.Fingerprint?.ToString());
                Strings(json, "changed", s.Changed);
                Time(json, "lastTestPass", s.LastTestPass);
                Text(json, "backup", s.Backup?.ToString());
                Strings(json, "backupTargets", s.BackupTargets);
                Time(json, "lastBackup", s.LastBackup);
                json.WriteString("hostname", s.Hostname);
                Time(json, "certificateExpiry", s.CertificateExpiry);
                json.WriteStartObject("findings");
                foreach (var (severity, count) in s.Findings)
                {
                    json.WriteNumber(severity, count);
                }

                json.WriteEndObject();
                Strings(json, "problems", s.Problems);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("scheduledRuns");
            foreach (var run in report.Runs)
            {
                json.WriteStartObject();
                json.WriteString("task", run.Task.ToString());
                json.WriteString("ended", run.Ended.ToUniversalTime());
                json.WriteNumber("exitCode", run.ExitCode);
                json.WriteString("logFile", run.LogFile);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void Time(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, time.ToUniversalTime());
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
