using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Datamancy.Checks.Browser;
using Datamancy.Engine;
using Datamancy.Fingerprints;
using Datamancy.Security;
using Datamancy.Stack.Model;
using Datamancy.Reporting;
using Datamancy.Swarm;

namespace Datamancy.Checks;

/// <summary>
/// Tests services concurrently (at most ThrottleLimit at once): the container, its dependencies,
/// HTTPS through Caddy with the stack's CA, the security headers and the checks declared in
/// x-datamancy-checks. On a swarm (options.Orchestrator) the first two judge the swarm services
/// through SwarmLiveStates; the HTTPS checks go through Caddy as they do in Compose mode. Each service's outcome is handed over as soon as it is complete.
/// </summary>
public sealed class ServiceTester(IDockerEngine engine, IReporter reporter)
{
    public async Task<int> TestAsync(StackDefinition stack, IReadOnlyList<ServiceDefinition> services, ServiceTestOptions options,
        Action<ServiceTestOutcome> completed, CancellationToken cancellationToken)
    {
        var live = options.Orchestrator == Orchestrator.Swarm
            ? await SwarmLiveStates.ReadAsync(engine, stack, cancellationToken).ConfigureAwait(false)
            : await LiveStateReader.ReadAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        LiveState StateOf(string name) => live.GetValueOrDefault(name, LiveState.Absent);

        // The fingerprint is taken before the checks: what passed is what was there when they started.
        var fingerprints = FingerprintCalculator.Compute(stack, services, live, Environment.GetEnvironmentVariable, cancellationToken);
        var certificates = CertificateLocation.Find(stack);
        var (authority, authorityError) = LoadAuthority(certificates.AuthorityPath);
        using var _ = authority;
        if (options.SkipCertificateCheck)
        {
            reporter.Warning("-SkipCertificateCheck: Caddy's certificates are NOT validated, so a wrong or forged certificate passes. Use it only to diagnose, never as a habit.");
        }
        else if (authority is null && authorityError is null)
        {
            reporter.Verbose($"No {certificates.AuthorityPath}: certificates are validated against the system's trusted roots.");
        }

        await using var browser = options.BrowserEndpoint is { } endpoint
            ? await BrowserEndpoint.ConnectAsync(endpoint, stack, options.RequestTimeout, cancellationToken).ConfigureAwait(false)
            : null;
        using var gate = new SemaphoreSlim(options.ThrottleLimit);
        var tasks = services.Select(async (service, i) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var watch = Stopwatch.StartNew();
                var results = await TestOneAsync(stack, service, StateOf, options, new TrustAnchor(authority, certificates.AuthorityPath, authorityError), browser, cancellationToken).ConfigureAwait(false);
                reporter.Progress(service.Name, $"{results.Count(r => r.Passed)} of {results.Count} checks passed");
                completed(new ServiceTestOutcome(service.Name, results, fingerprints[i].Parts, fingerprints[i].Error, watch.Elapsed));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return tasks.Count;
    }

    private async Task<IReadOnlyList<CheckResult>> TestOneAsync(StackDefinition stack, ServiceDefinition service, Func<string, LiveState> stateOf,
        ServiceTestOptions options, TrustAnchor trust, CdpConnection? browser, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        CheckResult Result(string check, bool passed, TimeSpan duration, string detail, string url = "") =>
            new(service.Name, check, passed, duration, detail, url, stack.Directory);

        reporter.Progress(service.Name, "container");
        var (containerOk, containerDetail) = ContainerChecks.Container(service, stateOf(service.Name), options.Orchestrator);
        results.Add(Result(CheckNames.Container, containerOk, TimeSpan.Zero, containerDetail));
        if (ContainerChecks.Dependencies(stack, service, stateOf) is { } dependencies)
        {
            results.Add(Result(CheckNames.Dependencies, dependencies.Passed, TimeSpan.Zero, dependencies.Detail));
        }

        var hostname = stack.HostnameOf(service.Name);
        if (hostname is null)
        {
            // Declared checks need a route; a service without any (a database) has only the checks above.
            results.AddRange(service.Checks.Select(c => Result(CheckNames.Declared(c.Path), false, TimeSpan.Zero,
                $"no site of the Caddyfile routes to '{service.Name}', so {c.Path} cannot be requested through Caddy; add a site for it ({c.Mark})")));
            return results;
        }

        using var probe = new HttpsProbe(options.Caddy, trust, options.SkipCertificateCheck, options.RequestTimeout);
        reporter.Progress(service.Name, $"https://{hostname}/");
        var watch = Stopwatch.StartNew();
        var root = await probe.GetAsync(hostname, "/", cancellationToken).ConfigureAwait(false);
        var rootTime = watch.Elapsed;
        results.Add(Result(CheckNames.Https, root.Status is < 500, rootTime, HttpsDetail(root, options.Caddy), root.Url));
        var (headersOk, headersDetail) = root.Status is null
            ? (false, $"not checked: {root.Failure}")
            : SecurityHeaderRules.Evaluate(root.Header);
        results.Add(Result(CheckNames.SecurityHeaders, headersOk, rootTime, root.Status is null ? headersDetail : $"{headersDetail} ({root.StatusText})", root.Url));

        foreach (var check in service.Checks)
        {
            reporter.Progress(service.Name, CheckNames.Declared(check.Path));
            watch.Restart();
            var response = check.Path == "/" ? root : await probe.GetAsync(hostname, check.Path, cancellationToken).ConfigureAwait(false);
            var (ok, detail) = Declared(check, response);
            results.Add(Result(CheckNames.Declared(check.Path), ok, check.Path == "/" ? rootTime : watch.Elapsed, detail, response.Url));
        }

        if (browser is not null)
        {
            reporter.Progress(service.Name, CheckNames.Browser);
            watch.Restart();
            var screenshot = !options.SaveScreenshots ? null : Path.Combine(Path.GetDirectoryName(LastPassStore.PathOf(stack.Directory, service.Name))!, "browser.png");
            var page = await BrowserPageCheck.RunAsync(browser, root.Url, service.Browser ?? BrowserExpectation.Default, screenshot,
                options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            results.Add(Result(CheckNames.Browser, page.Passed, watch.Elapsed, page.Detail, root.Url));
        }

        return results;
    }

    private static string HttpsDetail(ProbeResult response, CaddyEndpoint caddy) => response.Status switch
    {
        null => response.Failure!,
        502 or 503 or 504 => $"{response.StatusText} from Caddy at {caddy}: Caddy could not get an answer from the service behind it (is its container running and listening?)",
        >= 500 => $"{response.StatusText} from the site through Caddy at {caddy}",
        _ => $"{response.StatusText} through Caddy at {caddy}; {response.Certificate}",
    };

    private static (bool Passed, string Detail) Declared(HttpCheckDefinition check, ProbeResult response)
    {
        if (response.Status is null)
        {
            return (false, response.Failure!);
        }

        if (response.Status != check.Status)
        {
            var location = response.Header("Location") is { } to ? $" to {to}" : string.Empty;
            return (false, $"expected HTTP {check.Status}, got {response.StatusText}{location}");
        }

        if (check.Contains is { Length: > 0 } text && !response.Body.Contains(text, StringComparison.Ordinal))
        {
            return (false, $"{response.StatusText}, but the page ({response.Body.Length} characters) does not contain '{text}'");
        }

        return (true, check.Contains is { Length: > 0 } expected ? $"{response.StatusText}, contains '{expected}'" : response.StatusText);
    }

    private static (X509Certificate2? Authority, string? Error) LoadAuthority(string path)
    {
        if (!File.Exists(path))
        {
            return (null, null);
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(File.ReadAllText(path));
            return certificates.Count > 0
                ? (certificates[0], null)
                : (null, $"{path} holds no PEM certificate; run New-DatamancyCertificate -Force");
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return (null, $"{path} cannot be used as the stack's CA ({exception.Message.Trim()}); fix it or run New-DatamancyCertificate -Force");
        }
    }
}
