using Datamancy.Engine;

namespace Datamancy.Backup;

/// <summary>An empty volume a drill restores into; removed when disposed.</summary>
public sealed class ScratchVolume : IAsyncDisposable
{
    private readonly IDockerEngine _docker;

    private ScratchVolume(IDockerEngine docker, string name)
    {
        _docker = docker;
        Name = name;
    }

    public string Name { get; }

    public static async Task<ScratchVolume> CreateAsync(IDockerEngine docker, string project, CancellationToken cancellationToken)
    {
        var name = await docker.CreateVolumeAsync(new VolumeSpec($"{project}-drill-{Guid.NewGuid().ToString("N")[..12]}", null,
            new Dictionary<string, string>(), new Dictionary<string, string> { [ScratchDatabase.Label] = project }), cancellationToken).ConfigureAwait(false);
        return new ScratchVolume(docker, name);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _docker.RemoveVolumeAsync(Name, force: true, timeout.Token).ConfigureAwait(false);
    }
}
