using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Docker.DotNet.Models;

namespace Datamancy.Backup;

/// <summary>
/// A throwaway container of a database service for a restore drill: the service's own image,
/// command, user, environment and config mounts, but none of its named volumes (so it starts
/// empty), no published ports, no network and none of Compose's labels. Removed with its
/// anonymous volumes when disposed.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    public const string Label = "io.datamancy.drill";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private readonly IDockerEngine _docker;

    private ScratchDatabase(IDockerEngine docker, string id)
    {
        _docker = docker;
        Id = id;
    }

    public string Id { get; }

    public static async Task<ScratchDatabase> CreateAsync(IDockerEngine docker, StackDefinition stack, ServiceDefinition service, CancellationToken cancellationToken)
    {
        var spec = ContainerSpecBuilder.Build(stack, service, service.Image!, System.Environment.GetEnvironmentVariable);
        spec.Name = $"{stack.ProjectName}-drill-{service.Name}-{Guid.NewGuid().ToString("N")[..8]}";
        spec.Labels = new Dictionary<string, string> { [Label] = stack.ProjectName };
        spec.NetworkingConfig = null!;
        spec.HostConfig!.NetworkMode = "none";
        spec.HostConfig.PortBindings = null!;
        spec.HostConfig.RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No };
        spec.HostConfig.Mounts = spec.HostConfig.Mounts?.Where(m => m.Type != "volume").ToList();
        return new ScratchDatabase(docker, await docker.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Puts one file into the (not yet started) container, streamed as a tar archive.</summary>
    public Task PutFileAsync(string path, long size, Stream content, CancellationToken cancellationToken) => PutFileAsync(_docker, Id, path, size, content, cancellationToken);

    /// <summary>
    /// Streams one file into a container that need not be running, as a tar archive extracted at the
    /// root, so the folders on its path are created when the image has none (no volume mounted there).
    /// </summary>
    public static Task PutFileAsync(IDockerEngine docker, string containerId, string path, long size, Stream content, CancellationToken cancellationToken) =>
        docker.PutArchiveAsync(containerId, "/", new SingleFileTar(path.TrimStart('/'), size, content), cancellationToken);

    /// <summary>Starts the server and waits until the dialect's count command answers.</summary>
    public async Task StartAsync(BackupTarget target, CancellationToken cancellationToken)
    {
        await _docker.StartContainerAsync(Id, cancellationToken).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + ReadyTimeout;
        DatamancyException? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await DatabaseExec.CountAsync(_docker, Id, target, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DatamancyException exception)
            {
                last = exception;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        throw new DatamancyException(ErrorIds.BackupVerifyFailed, ErrorKind.OperationTimeout,
            $"The throwaway {target.Name} container did not answer within {ReadyTimeout.TotalSeconds:0} s: {last?.Message}", target.Name, last);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _docker.RemoveContainerAsync(Id, true, timeout.Token).ConfigureAwait(false);
    }
}
