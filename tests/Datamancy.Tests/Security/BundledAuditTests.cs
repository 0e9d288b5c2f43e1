using Datamancy.Security.Audit;
using Datamancy.Stack;

namespace Datamancy.Tests.Security;

/// <summary>A stack made from the bundled configs passes its own audit: nothing above Low, and every Low finding is a documented exception.</summary>
public sealed class BundledAuditTests : IDisposable
{
    private static readonly string Configs = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../configs"));

    private readonly string _target = Path.Combine(Path.GetTempPath(), "dm-audit-bundled-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_target, recursive: true);

    [Fact]
    public void Bundled_stack_audits_clean_but_for_documented_exceptions()
    {
        var creator = new StackCreator(Configs);
        creator.Create(creator.Plan(_target, null, false));
        var stack = new StackLoader(_ => null).Load(_target);

        var findings = SecurityAuditor.Audit(stack, null, _ => null);

        Assert.All(findings, f => Assert.True(f.Severity <= SecuritySeverity.Low, $"{f.RuleId} {f.Service}: {f.Message}"));
        Assert.All(findings.Where(f => f.Severity == SecuritySeverity.Low), f => Assert.NotEmpty(f.Exception));
        // The documented exceptions are all there, and the socket users are exactly the three tools.
        Assert.Equal(["portainer", "promtail", "watchtower"],
            findings.Where(f => f.RuleId == "DMS005").Select(f => f.Service).Order(StringComparer.Ordinal));
        Assert.Contains(findings, f => f.RuleId == "DMS003" && f.Service == "jellyfin");
    }
}
