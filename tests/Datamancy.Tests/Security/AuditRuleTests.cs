using static Datamancy.Tests.Security.AuditStack;

namespace Datamancy.Tests.Security;

/// <summary>Each audit rule on a stack that breaks it, next to the clean stack that does not.</summary>
public sealed class AuditRuleTests
{
    [Fact]
    public void Clean_stack_has_no_finding()
    {
        using var stack = new AuditStack();
        Assert.Empty(stack.Audit());
    }

    public static TheoryData<string, string, SecuritySeverity> ComposeCases => new()
    {
        { "DMS001", "cap_drop missing", SecuritySeverity.High },
        { "DMS002", "cap_add: [NET_RAW]", SecuritySeverity.Medium },
        { "DMS002", "cap_add: [SYS_ADMIN]", SecuritySeverity.High },
        { "DMS003", "user missing", SecuritySeverity.Medium },
        { "DMS003", "user: \"0:0\"", SecuritySeverity.Medium },
        { "DMS004", "volumes: [\"./conf:/etc/app\"]", SecuritySeverity.Medium },
        { "DMS004", "volumes: [\".:/stack\"]", SecuritySeverity.High },
        { "DMS005", "volumes: [\"/var/run/docker.sock:/var/run/docker.sock:ro\"]", SecuritySeverity.High },
        { "DMS005", "volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]", SecuritySeverity.Critical },
        { "DMS006", "ports: [\"8080:3000\"]", SecuritySeverity.High },
        { "DMS006", "ports: [\"0.0.0.0:8080:3000\"]", SecuritySeverity.High },
        { "DMS006", "ports: [\"3000\"]", SecuritySeverity.High },
        { "DMS007", "privileged: true", SecuritySeverity.Critical },
        { "DMS008", "network_mode: host", SecuritySeverity.High },
        { "DMS009", "devices: [\"/dev/dri:/dev/dri\"]", SecuritySeverity.Medium },
    };

    [Theory]
    [MemberData(nameof(ComposeCases))]
    public void Service_that_breaks_a_hardening_rule_is_reported(string rule, string change, SecuritySeverity severity)
    {
        using var stack = new AuditStack(BreakApp(change));
        var finding = Assert.Single(stack.Audit(), f => f.RuleId == rule);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal("app", finding.Service);
        Assert.Equal("compose", finding.Source);
        Assert.Empty(finding.Exception);
        Assert.NotEmpty(finding.Remediation);
        Assert.Contains("docker-compose.yml:", finding.Location);
    }

    [Theory]
    [InlineData("ports: [\"127.0.0.1:8080:3000\"]")]
    [InlineData("ports: [\"[::1]:8080:3000\"]")]
    [InlineData("volumes: [\"./conf:/etc/app:ro\"]")]
    [InlineData("volumes: [\"data:/var/lib/app\"]")]
    [InlineData("security_opt: [\"no-new-privileges:true\"]")]
    public void Hardened_variants_are_not_reported(string change)
    {
        using var stack = new AuditStack(c => BreakApp(change)(c).Replace("#SERVICES", "volumes:\n  data: {}"));
        Assert.Empty(stack.Audit());
    }

    [Fact]
    public void Documented_exception_lowers_a_finding_to_low_and_carries_the_reason()
    {
        using var stack = new AuditStack(App("privileged: true\nx-datamancy-exceptions:\n  privileged: \"Needs the GPU.\""));
        var finding = Assert.Single(stack.Audit());
        Assert.Equal(("DMS007", SecuritySeverity.Low, "Needs the GPU."), (finding.RuleId, finding.Severity, finding.Exception));
    }

    [Fact]
    public void Docker_socket_read_only_is_low_only_for_a_documented_tool()
    {
        const string Tool = """
            portainer:
              image: portainer/portainer-ce:2.21.4-alpine
              user: "1000:1000"
              cap_drop: [ALL]
              volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]
              x-datamancy-exceptions:
                docker-socket: "Container management UI."
            """;
        using (var allowed = new AuditStack(Services(Tool)))
        {
            var finding = Assert.Single(allowed.Audit());
            Assert.Equal(("DMS005", SecuritySeverity.Low, "Container management UI."), (finding.RuleId, finding.Severity, finding.Exception));
        }

        using (var readWrite = new AuditStack(Services(Tool.Replace("docker.sock:ro", "docker.sock"))))
        {
            var finding = Assert.Single(readWrite.Audit());
            Assert.Equal((SecuritySeverity.Critical, ""), (finding.Severity, finding.Exception));
        }

        using (var undocumented = new AuditStack(Services(Tool.Replace("portainer", "dashboard"))))
        {
            Assert.Equal(SecuritySeverity.High, Assert.Single(undocumented.Audit(), f => f.RuleId == "DMS005").Severity);
        }
    }

    [Fact]
    public void Only_caddy_may_publish_80_and_443_beyond_loopback()
    {
        using var stack = new AuditStack(c => c.Replace("ports: [\"80:80\", \"443:443\"]", "ports: [\"80:80\", \"443:443\", \"443:443/udp\", \"2019:2019\"]"));
        var finding = Assert.Single(stack.Audit());
        Assert.Equal(("DMS006", "caddy"), (finding.RuleId, finding.Service));
        Assert.Contains("2019", finding.Message);
    }

    [Theory]
    [InlineData("\thandle /metrics* {\n\t\trespond 200\n\t}")]
    [InlineData("\treverse_proxy /admin/* app:3000")]
    [InlineData("\treverse_proxy /debug/pprof app:3000")]
    public void Metrics_or_admin_path_routed_by_caddy_is_reported(string directive)
    {
        using var stack = new AuditStack(caddyfile: Route(directive));
        Assert.Equal(SecuritySeverity.High, Assert.Single(stack.Audit(), f => f.RuleId == "DMS010").Severity);
    }

    [Fact]
    public void Metrics_port_as_upstream_is_reported_and_respond_404_is_not()
    {
        using (var proxied = new AuditStack(caddyfile: c => c.Replace("reverse_proxy app:3000", "reverse_proxy app:9100")))
        {
            Assert.Single(proxied.Audit(), f => f.RuleId == "DMS010");
        }

        using (var declared = new AuditStack(App("command: [\"--metrics-listen-addr=0.0.0.0:51517\"]"), c => c.Replace("reverse_proxy app:3000", "reverse_proxy app:51517")))
        {
            Assert.Single(declared.Audit(), f => f.RuleId == "DMS010");
        }

        using var blocked = new AuditStack(caddyfile: Route("\trespond /metrics 404"));
        Assert.Empty(blocked.Audit());
    }

    [Theory]
    [InlineData("\t\tStrict-Transport-Security \"max-age=31536000; includeSubDomains\"\n", "", "DMS011")]
    [InlineData("max-age=31536000", "max-age=86400", "DMS011")]
    [InlineData("\t\tContent-Security-Policy \"default-src 'self'\"\n", "", "DMS012")]
    public void Missing_or_short_security_header_is_reported_per_site(string from, string to, string rule)
    {
        using var stack = new AuditStack(caddyfile: c => c.Replace(from, to));
        var findings = stack.Audit();
        Assert.Equal(2, findings.Count(f => f.RuleId == rule));
        Assert.All(findings, f => Assert.Equal(("caddy", SecuritySeverity.Medium), (f.Source, f.Severity)));
    }

    [Fact]
    public void Route_without_forward_auth_is_reported_unless_the_portal_or_excepted()
    {
        static string NoAuth(string c) => c.Replace("\tforward_auth authelia:9091 {\n\t\turi /api/authz/forward-auth\n\t}\n", string.Empty);
        using (var open = new AuditStack(caddyfile: NoAuth))
        {
            var finding = Assert.Single(open.Audit());
            Assert.Equal(("DMS013", "app", SecuritySeverity.High), (finding.RuleId, finding.Service, finding.Severity));
        }

        using var excepted = new AuditStack(App("x-datamancy-exceptions:\n  forward-auth: \"Public status page.\""), NoAuth);
        Assert.Equal(SecuritySeverity.Low, Assert.Single(excepted.Audit()).Severity);
    }

    [Theory]
    [InlineData("grafana/grafana", true)]
    [InlineData("grafana/grafana:latest", true)]
    [InlineData("registry.local:5000/grafana", true)]
    [InlineData("registry.local:5000/grafana:11.3.1", false)]
    [InlineData("grafana/grafana@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    public void Image_on_latest_or_untagged_is_reported(string image, bool reported)
    {
        using var stack = new AuditStack(c => c.Replace("grafana/grafana:11.3.1", image));
        Assert.Equal(reported, stack.Audit().Any(f => f.RuleId == "DMS014"));
    }

    [Fact]
    public void Database_without_the_watchtower_opt_out_is_reported()
    {
        const string Label = "    labels:\n      com.centurylinklabs.watchtower.enable: \"false\"\n";
        using (var updated = new AuditStack(c => c.Replace(Label, string.Empty)))
        {
            var finding = Assert.Single(updated.Audit());
            Assert.Equal(("DMS015", "db"), (finding.RuleId, finding.Service));
        }

        // With label-enable, Watchtower only touches containers labelled enable=true.
        const string OptIn = """
            watchtower:
              image: containrrr/watchtower:1.7.1
              user: "1000:1000"
              cap_drop: [ALL]
              environment:
                WATCHTOWER_LABEL_ENABLE: "true"
            """;
        using var optIn = new AuditStack(c => Services(OptIn)(c.Replace(Label, string.Empty)));
        Assert.Empty(optIn.Audit());
    }

    [Fact]
    public void Unused_exception_is_reported_as_info()
    {
        using var stack = new AuditStack(App("x-datamancy-exceptions:\n  root-user: \"It used to need root.\""));
        var finding = Assert.Single(stack.Audit());
        Assert.Equal(("DMS021", SecuritySeverity.Info), (finding.RuleId, finding.Severity));
    }

    private static Func<string, string> BreakApp(string change) => change switch
    {
        "cap_drop missing" => c => c.Replace("    user: \"472:472\"\n    cap_drop: [ALL]\n", "    user: \"472:472\"\n"),
        "user missing" => c => c.Replace("    user: \"472:472\"\n", string.Empty),
        _ when change.StartsWith("user:", StringComparison.Ordinal) => c => c.Replace("    user: \"472:472\"\n", $"    {change}\n"),
        _ => App(change),
    };
}
