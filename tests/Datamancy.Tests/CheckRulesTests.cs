using Datamancy.Checks;
using Datamancy.Errors;

namespace Datamancy.Tests;

public sealed class CheckRulesTests : IDisposable
{
    private static readonly Dictionary<string, string> GoodHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains",
        ["Content-Security-Policy"] = "default-src 'self'",
        ["X-Content-Type-Options"] = "nosniff",
        ["X-Frame-Options"] = "SAMEORIGIN",
        ["Referrer-Policy"] = "strict-origin-when-cross-origin",
    };

    private readonly TestStack _stack = new("""
        services:
          db:
            image: db:1
          job:
            image: job:1
            restart: "no"
          web:
            image: web:1
            depends_on:
              db: {condition: service_healthy}
              job: {condition: service_completed_successfully}
              cache: {condition: service_started, required: false}
        """);

    public void Dispose() => _stack.Dispose();

    [Fact]
    public void Passes_the_bundled_stacks_security_headers()
    {
        var (passed, detail) = SecurityHeaderRules.Evaluate(Header(GoodHeaders));
        Assert.True(passed, detail);
        Assert.Contains("HSTS max-age=31536000", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Strict-Transport-Security", "max-age=300", "below 31536000")]
    [InlineData("Strict-Transport-Security", "includeSubDomains", "no max-age")]
    [InlineData("Strict-Transport-Security", null, "Strict-Transport-Security is missing")]
    [InlineData("Content-Security-Policy", null, "Content-Security-Policy is missing")]
    [InlineData("X-Content-Type-Options", "sniff-away", "not 'nosniff'")]
    [InlineData("Referrer-Policy", null, "Referrer-Policy is missing")]
    [InlineData("X-Frame-Options", null, "framing is not restricted")]
    public void Fails_a_missing_or_weak_header_and_says_which(string name, string? value, string expected)
    {
        var headers = new Dictionary<string, string>(GoodHeaders, StringComparer.OrdinalIgnoreCase);
        if (value is null)
        {
            headers.Remove(name);
        }
        else
        {
            headers[name] = value;
        }

        var (passed, detail) = SecurityHeaderRules.Evaluate(Header(headers));
        Assert.False(passed);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_CSP_frame_ancestors_instead_of_X_Frame_Options()
    {
        var headers = new Dictionary<string, string>(GoodHeaders, StringComparer.OrdinalIgnoreCase) { ["Content-Security-Policy"] = "frame-ancestors 'self'" };
        headers.Remove("X-Frame-Options");
        Assert.True(SecurityHeaderRules.Evaluate(Header(headers)).Passed);
    }

    [Theory]
    [InlineData("running", "healthy", "Up 1 minute (healthy)", true, "running, healthy")]
    [InlineData("running", "none", "Up 1 minute", true, "no healthcheck")]
    [InlineData("running", "starting", "Up 2 seconds (health: starting)", false, "not passed yet")]
    [InlineData("running", "unhealthy", "Up 1 minute (unhealthy)", false, "Get-DatamancyLog -Name db")]
    [InlineData("exited", "none", "Exited (137) 5 seconds ago", false, "Start-DatamancyService -Name db")]
    [InlineData("absent", "none", "", false, "no container")]
    public void Judges_a_services_container(string state, string health, string status, bool passed, string detail)
    {
        var result = ContainerChecks.Container(_stack.Load().FindService("db")!, Live(state, health, status));
        Assert.Equal(passed, result.Passed);
        Assert.Contains(detail, result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Exited (0) 3 seconds ago", true)]
    [InlineData("Exited (2) 3 seconds ago", false)]
    public void Passes_a_one_shot_job_that_exited_with_code_0(string status, bool passed) =>
        Assert.Equal(passed, ContainerChecks.Container(_stack.Load().FindService("job")!, Live("exited", "none", status)).Passed);

    [Fact]
    public void Checks_each_dependency_against_its_condition()
    {
        var stack = _stack.Load();
        var web = stack.FindService("web")!;
        var states = new Dictionary<string, LiveState>
        {
            ["db"] = Live("running", "healthy", "Up (healthy)"),
            ["job"] = Live("exited", "none", "Exited (0) 1 minute ago"),
        };
        var ok = ContainerChecks.Dependencies(stack, web, n => states.GetValueOrDefault(n, LiveState.Absent))!.Value;
        Assert.True(ok.Passed, ok.Detail);
        Assert.Contains("cache: optional and not in the stack", ok.Detail, StringComparison.Ordinal);

        states["db"] = Live("running", "starting", "Up (health: starting)");
        var bad = ContainerChecks.Dependencies(stack, web, n => states.GetValueOrDefault(n, LiveState.Absent))!.Value;
        Assert.False(bad.Passed);
        Assert.Equal("db: running, starting, but web needs service_healthy", bad.Detail);
        Assert.Null(ContainerChecks.Dependencies(stack, stack.FindService("db")!, _ => LiveState.Absent));
    }

    [Theory]
    [InlineData("127.0.0.1:443", "127.0.0.1", 443)]
    [InlineData("127.0.0.1", "127.0.0.1", 443)]
    [InlineData("[::1]:8443", "::1", 8443)]
    [InlineData("::1", "::1", 443)]
    [InlineData("caddy.example:9443", "caddy.example", 9443)]
    public void Parses_where_Caddy_listens(string text, string host, int port) =>
        Assert.Equal(new CaddyEndpoint(host, port), CaddyEndpoint.Parse(text));

    [Theory]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:99999")]
    [InlineData(":443")]
    [InlineData("host:port")]
    [InlineData("[::1]8443")]
    public void Refuses_an_address_that_is_not_host_port(string text) =>
        Assert.Equal(ErrorIds.InvalidAddress, Assert.Throws<DatamancyException>(() => CaddyEndpoint.Parse(text)).ErrorId);

    private static Func<string, string?> Header(Dictionary<string, string> headers) => name => headers.GetValueOrDefault(name);

    private static LiveState Live(string state, string health, string status) =>
        new(Enum.Parse<ContainerState>(state, true), Enum.Parse<HealthStatus>(health, true), "abc", status, null, "sha256:image", string.Empty, []);
}
