using Datamancy.Security.Audit;
using Docker.DotNet.Models;

namespace Datamancy.Tests.Security;

/// <summary>Running containers judged by inspect: drift from the compose file is reported, what the file already shows is not repeated.</summary>
public sealed class LiveAuditTests
{
    [Fact]
    public void Container_matching_the_file_adds_nothing()
    {
        using var stack = new AuditStack();
        Assert.Empty(stack.Audit([Live("app", user: "472:472", capDrop: ["ALL"])]));
    }

    [Fact]
    public void Drift_is_reported_with_source_live()
    {
        using var stack = new AuditStack();
        var findings = stack.Audit([Live("app", user: "", capDrop: [], privileged: true, networkMode: "host",
            mounts: [new MountPoint { Type = "bind", Source = stack.Directory, Destination = "/stack", RW = true }],
            ports: new Dictionary<string, IList<PortBinding>> { ["3000/tcp"] = [new PortBinding { HostIP = "0.0.0.0", HostPort = "3000" }] })]);

        Assert.Equal(["DMS001", "DMS003", "DMS004", "DMS006", "DMS007", "DMS008"], findings.Select(f => f.RuleId).Order());
        Assert.All(findings, f => Assert.Equal(("live", "app", "container dmtest-app-1"), (f.Source, f.Service, f.Location)));
        Assert.Equal(SecuritySeverity.High, findings.Single(f => f.RuleId == "DMS004").Severity);
    }

    [Fact]
    public void Live_finding_the_file_already_reports_is_left_out()
    {
        using var stack = new AuditStack(AuditStack.App("ports: [\"8080:3000\"]"));
        var findings = stack.Audit([Live("app", user: "472:472", capDrop: ["ALL"],
            ports: new Dictionary<string, IList<PortBinding>> { ["3000/tcp"] = [new PortBinding { HostIP = "", HostPort = "8080" }, new PortBinding { HostIP = "::", HostPort = "8080" }] })]);
        var finding = Assert.Single(findings);
        Assert.Equal(("DMS006", "compose"), (finding.RuleId, finding.Source));
    }

    [Fact]
    public void Live_docker_socket_read_write_is_critical_and_capabilities_normalised()
    {
        using var stack = new AuditStack();
        var findings = stack.Audit([Live("app", user: "472:472", capDrop: ["CAP_ALL"], capAdd: ["CAP_SYS_ADMIN"],
            mounts: [new MountPoint { Type = "bind", Source = "/var/run/docker.sock", Destination = "/var/run/docker.sock", RW = true }])]);
        Assert.Equal(SecuritySeverity.Critical, findings.Single(f => f.RuleId == "DMS005").Severity);
        Assert.Equal(SecuritySeverity.High, findings.Single(f => f.RuleId == "DMS002").Severity);
        Assert.DoesNotContain(findings, f => f.RuleId == "DMS001");
    }

    private static LiveService Live(string service, string user, IList<string> capDrop, IList<string>? capAdd = null, bool privileged = false,
        string networkMode = "dmtest_default", IList<MountPoint>? mounts = null, IDictionary<string, IList<PortBinding>>? ports = null) =>
        new(LiveServices.From(service, new ContainerInspectResponse
        {
            Name = "/dmtest-app-1",
            Config = new ContainerConfig { User = user, Image = "grafana/grafana:11.3.1" },
            HostConfig = new HostConfig { CapDrop = capDrop, CapAdd = capAdd ?? [], Privileged = privileged, NetworkMode = networkMode, PortBindings = ports ?? new Dictionary<string, IList<PortBinding>>() },
            Mounts = mounts ?? [],
        }), "dmtest-app-1");
}
