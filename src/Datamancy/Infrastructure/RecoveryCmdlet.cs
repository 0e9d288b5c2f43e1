using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Security;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Recovery;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// What Restore-DatamancyStack and Test-DatamancyRecovery share: the repository and its password
/// (asked for, never read from the host), the engine to rebuild on, which snapshots and profiles.
/// They take no stack folder: the stack comes out of the repository.
/// </summary>
public abstract class RecoveryCmdlet : DatamancyCmdlet
{
    public const string PasswordSet = "Password";
    public const string CredentialSet = "Credential";

    private IDockerEngine? _engine;

    /// <summary>The restic repository: a folder on the engine's host, or a URL (rest:http://host:8000/, sftp:user@host:/path, s3:...).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Repository { get; set; } = string.Empty;

    /// <summary>The repository password.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PasswordSet)]
    public SecureString? Password { get; set; }

    /// <summary>The repository password as a credential (the user name is ignored).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The engine to rebuild on: unix:///path, tcp://host:port; default $env:DOCKER_HOST, then the usual sockets.</summary>
    [Parameter]
    [Alias("Engine")]
    [ValidateNotNullOrEmpty]
    public string? DockerHost { get; set; }

    /// <summary>The profiles to restore; default: every profile something was backed up for.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Profile { get; set; }

    /// <summary>"latest" (the default) or a point in time: the newest snapshot of each target at or before it is used.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Snapshot { get; set; } = "latest";

    /// <summary>The Compose project to restore, when the repository holds several.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Project { get; set; }

    /// <summary>The image the restic tool container runs (any image with restic, sh and find in it).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ToolImage { get; set; } = "restic/restic:0.17.3";

    /// <summary>How long to wait for each service to become healthy, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 300;

    private protected IDockerEngine Engine => _engine ??= Wait(token => DockerConnector.ConnectAsync(DockerHost, Environment.GetEnvironmentVariable, token));

    private protected RecoveryRequest Request(string folder) => new(Repository,
        new NetworkCredential(string.Empty, Password ?? Credential!.Password).Password, folder, ToolImage, Project, PointInTime(), Profile,
        TimeSpan.FromSeconds(Timeout));

    /// <summary>Writes a warning straight to the host: after Ctrl+C the pipeline takes nothing more.</summary>
    private protected void WarnAfterStop(string message)
    {
        try
        {
            Host?.UI?.WriteWarningLine(message);
        }
        catch (Exception exception) when (exception is PipelineStoppedException or InvalidOperationException or System.Management.Automation.Host.HostException)
        {
            // No host to write to: the progress file in the folder still says what was made.
        }
    }

    protected override void DisposeResources() => _engine?.Dispose();

    private DateTimeOffset? PointInTime()
    {
        if (Snapshot.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return DateTimeOffset.TryParse(Snapshot, CultureInfo.CurrentCulture, DateTimeStyles.AssumeLocal, out var at)
            ? at
            : throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidArgument,
                $"-Snapshot takes 'latest' or a point in time such as '2026-12-01 02:30', not '{Snapshot}'.", Snapshot);
    }
}
