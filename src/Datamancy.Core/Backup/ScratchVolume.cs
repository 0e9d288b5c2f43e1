using Datamancy.Engine;
using Docker.DotNet.Models;

namespace Datamancy.Backup;

/// <summary>An empty volume a drill restores into; removed when disposed.</summary>
public sealed class ScratchVolume : IAsyncDisposable
{
    private readonly DockerEngine _docker;

    private ScratchVolume(DockerEngine docker, string name)
    {
        _docker = docker;
        Name = name;
    }

    public string Name { get; }

    public static async Task<ScratchVolume> CreateAsync(DockerEngine docker, string project, CancellationToken cancellationToken)
    {
        var created = await docker.Client.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = $"{project}-drill-{Guid.NewGuid().ToString("N")[..12]}",
            Labels = new Dictionary<string, string> { [ScratchDatabase.Label] = project },
        }, cancellationToken).ConfigureAwait(false);
        return new ScratchVolume(docker, created.Name);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _docker.Client.Volumes.RemoveAsync(Name, force: true, timeout.Token).ConfigureAwait(false);
    }
}
