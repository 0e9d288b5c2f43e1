using Datamancy.Errors;
using Docker.DotNet;

namespace Datamancy.Engine;

/// <summary>
/// Finds and connects to the Docker engine: -DockerHost, else DOCKER_HOST, else the rootless socket,
/// else the system socket (the named pipe on Windows). The API version is negotiated with the
/// daemon (the lower of the daemon's and the library's), never pinned, so Engine 20.10 (API 1.41)
/// and Docker 29 (which refuses clients below 1.44) both work.
/// </summary>
public static class DockerConnector
{
    /// <summary>The newest API version the library's models describe.</summary>
    public static readonly Version LibraryApiVersion = new(1, 52);

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<Uri> Candidates(string? dockerHost, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            return [ParseHost(dockerHost, "-DockerHost")];
        }

        if (environment("DOCKER_HOST") is { Length: > 0 } fromEnvironment)
        {
            return [ParseHost(fromEnvironment, "$env:DOCKER_HOST")];
        }

        if (OperatingSystem.IsWindows())
        {
            return [new Uri("npipe://./pipe/docker_engine")];
        }

        var candidates = new List<Uri>();
        if (environment("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            candidates.Add(new Uri("unix://" + Path.Combine(runtime, "docker.sock")));
        }

        candidates.Add(new Uri("unix:///var/run/docker.sock"));
        return candidates;
    }

    public static async Task<IDockerEngine> ConnectAsync(string? dockerHost, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var endpoint in Candidates(dockerHost, environment))
        {
            if (!MayAnswer(endpoint))
            {
                failures.Add($"{endpoint} (no such socket)");
                continue;
            }

            DockerClient? probe = null;
            try
            {
                probe = new DockerClientBuilder().WithEndpoint(endpoint).WithTimeout(PingTimeout).Build();
                var version = await probe.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
                var negotiated = Negotiate(version.APIVersion);
                probe.Dispose();
                probe = null;
                var client = new DockerClientBuilder().WithEndpoint(endpoint).WithApiVersion(negotiated).WithTimeout(Timeout.InfiniteTimeSpan).Build();
                return new DockerApiEngine(client, endpoint, negotiated, version.Version);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{endpoint} ({Reason(exception)})");
            }
            finally
            {
                probe?.Dispose();
            }
        }

        throw new DatamancyException(ErrorIds.EngineUnreachable, ErrorKind.ConnectionError,
            $"No Docker engine answered. Tried: {string.Join("; ", failures)}. Start the engine, or point -DockerHost or $env:DOCKER_HOST at it.",
            dockerHost ?? environment("DOCKER_HOST"));
    }

    /// <summary>False for a unix socket that does not exist; anything else may answer.</summary>
    public static bool MayAnswer(Uri endpoint) => endpoint.Scheme != "unix" || File.Exists(endpoint.LocalPath);

    internal static Version Negotiate(string? daemonApiVersion) =>
        Version.TryParse(daemonApiVersion, out var daemon) && daemon < LibraryApiVersion ? daemon : LibraryApiVersion;

    private static Uri ParseHost(string host, string source)
    {
        if (Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme is "unix" or "tcp" or "npipe" or "http" or "https")
        {
            return uri;
        }

        throw new DatamancyException(ErrorIds.EngineUnreachable, ErrorKind.InvalidArgument,
            $"{source} '{host}' is not an engine address; use unix:///path/docker.sock, tcp://host:2375 or npipe://./pipe/docker_engine.", host);
    }

    private static string Reason(Exception exception) =>
        (exception.InnerException ?? exception).Message.Split('\n')[0].Trim();
}
