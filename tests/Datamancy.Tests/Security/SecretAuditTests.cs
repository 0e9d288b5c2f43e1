using static Datamancy.Tests.Security.AuditStack;

namespace Datamancy.Tests.Security;

/// <summary>The secret rules: placeholders and defaults, reuse, weak values, inline secrets, readable secret files; values never shown.</summary>
public sealed class SecretAuditTests
{
    [Theory]
    [InlineData("changeme")]
    [InlineData("password123")]
    [InlineData("<your-password>")]
    public void Placeholder_secret_in_env_is_critical_and_names_the_variable_only(string value)
    {
        using var stack = new AuditStack(env: $"APP_ADMIN_PASSWORD={value}\nDB_PASSWORD={DbPassword}\n");
        var finding = Assert.Single(stack.Audit());
        Assert.Equal(("DMS016", SecuritySeverity.Critical, "env", "app"), (finding.RuleId, finding.Severity, finding.Source, finding.Service));
        Assert.Equal(["APP_ADMIN_PASSWORD"], finding.Variable);
        Assert.EndsWith(".env:1:1", finding.Location);
        AssertNeverShown(finding, value);
    }

    [Fact]
    public void Empty_secret_in_env_is_critical()
    {
        using var stack = new AuditStack(env: $"APP_ADMIN_PASSWORD={AppPassword}\nDB_PASSWORD={DbPassword}\n# unused yet\nBACKUP_TOKEN=\n");
        var finding = Assert.Single(stack.Audit());
        Assert.Equal(("DMS016", SecuritySeverity.Critical, ""), (finding.RuleId, finding.Severity, finding.Service));
        Assert.Contains("BACKUP_TOKEN in .env is empty", finding.Message);
        Assert.EndsWith(".env:4:1", finding.Location);
    }

    [Fact]
    public void Default_from_the_compose_file_is_critical()
    {
        using var stack = new AuditStack(c => c.Replace("${APP_ADMIN_PASSWORD:?APP_ADMIN_PASSWORD is not set}", "${APP_ADMIN_PASSWORD:-Adm1n-D3fault-Passw0rd-That-Is-Long}"),
            env: $"DB_PASSWORD={DbPassword}\n");
        var finding = Assert.Single(stack.Audit());
        Assert.Equal(("DMS016", SecuritySeverity.Critical, "compose"), (finding.RuleId, finding.Severity, finding.Source));
        Assert.Contains("APP_ADMIN_PASSWORD", finding.Message);
        AssertNeverShown(finding, "Adm1n-D3fault-Passw0rd-That-Is-Long");
    }

    [Fact]
    public void Secret_reused_by_two_variables_is_reported_once_with_both()
    {
        using var stack = new AuditStack(env: $"APP_ADMIN_PASSWORD={AppPassword}\nDB_PASSWORD={AppPassword}\n");
        var finding = Assert.Single(stack.Audit());
        Assert.Equal(("DMS017", SecuritySeverity.High, "app, db"), (finding.RuleId, finding.Severity, finding.Service));
        Assert.Equal(["APP_ADMIN_PASSWORD", "DB_PASSWORD"], finding.Variable.Order());
        AssertNeverShown(finding, AppPassword);
    }

    [Fact]
    public void One_variable_read_by_two_services_is_not_reuse()
    {
        using var stack = new AuditStack(App("command: [\"--db-password=${DB_PASSWORD}\"]"));
        Assert.Empty(stack.Audit());
    }

    [Theory]
    [InlineData("0123456789abcdef", true)]
    [InlineData("Tr0ub4dor&3xyz", true)]
    [InlineData("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd", true)]
    [InlineData("0123456789abcdef0123456789abcdeg", false)]
    [InlineData("a3f5c7e9b1d3f5a7c9e1b3d5f7a9c1e3", false)]
    public void Secret_under_128_bits_is_weak(string value, bool weak)
    {
        using var stack = new AuditStack(env: $"APP_ADMIN_PASSWORD={value}\nDB_PASSWORD={DbPassword}\n");
        var findings = stack.Audit();
        Assert.Equal(weak, findings.Any(f => f.RuleId == "DMS018" && f.Severity == SecuritySeverity.High));
        Assert.All(findings, f => AssertNeverShown(f, value));
    }

    [Fact]
    public void Secret_written_inline_in_the_compose_file_is_reported_with_its_place()
    {
        const string Inline = "Xq7-vT2mK9pR4wL8nB3cF6hJ1dG5sZ0yA";
        using var stack = new AuditStack(c => c.Replace("\"${APP_ADMIN_PASSWORD:?APP_ADMIN_PASSWORD is not set}\"", $"\"{Inline}\""));
        var findings = stack.Audit();
        var finding = Assert.Single(findings);
        Assert.Equal(("DMS019", "compose"), (finding.RuleId, finding.Source));
        Assert.Contains("GF_SECURITY_ADMIN_PASSWORD of app", finding.Message);
        AssertNeverShown(finding, Inline);
    }

    [Fact]
    public void Password_inside_a_literal_url_is_inline_and_judged()
    {
        using var stack = new AuditStack(App("  DATABASE_URL: \"postgres://app:changeme@db:5432/app\""));
        var findings = stack.Audit();
        Assert.Contains(findings, f => f.RuleId == "DMS019" && f.Message.Contains("URL"));
        Assert.Contains(findings, f => f.RuleId == "DMS016");
        Assert.All(findings, f => AssertNeverShown(f, "changeme"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes; the suite runs on Linux (build.ps1 -Task Test)
    public void Env_file_or_backup_readable_by_others_is_reported()
    {
        using var stack = new AuditStack();
        File.SetUnixFileMode(stack.EnvFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.WriteAllText(Path.Combine(stack.Directory, ".env.20260101T000000000Z.bak"), "X=1\n");
        File.SetUnixFileMode(Path.Combine(stack.Directory, ".env.20260101T000000000Z.bak"), UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var findings = stack.Audit();
        Assert.Equal(2, findings.Count(f => f.RuleId == "DMS020" && f.Severity == SecuritySeverity.High));
        Assert.Contains(findings, f => f.Message.Contains("(mode 644)"));
    }

    // A secret's value appears in no property of a finding.
    private static void AssertNeverShown(SecurityFinding finding, string value)
    {
        if (value.Length < 4)
        {
            return;
        }

        foreach (var text in new[] { finding.Message, finding.Remediation, finding.Exception, finding.Location, finding.Service, finding.Title, string.Join(",", finding.Variable) })
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }
    }
}
