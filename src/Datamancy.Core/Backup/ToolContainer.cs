using Datamancy.Engine;
using Docker.DotNet.Models;

namespace Datamancy.Backup;

/// <summary>
/// A throwaway container the backup tool runs in, made for one cmdlet call from the tool image with
/// exactly the mounts that call needs (sources read-only, the repository, a restore destination).
/// It idles until commands are exec'd into it; aborting kills it at once, so an interrupted backup
/// never gets to save a truncated stream; disposing removes it. Its fixed hostname lets restic
/// recognise its own stale locks. The repository password is never in its environment: it is
/// passed to each exec.
/// </summary>
public sealed class ToolContainer : IAsyncDisposable
{
    public const string Label = "io.datamancy.backup-tool";

    private readonly IDockerEngine _engine;
    private readonly string _image;
    private readonly string _project;
    private readonly IReadOnlyList<ToolMount> _mounts;
    private readonly bool _network;
    private string? _id;

    public ToolContainer(IDockerEngine engine, string image, string project, IReadOnlyList<ToolMount> mounts, bool network)
    {
        _engine = engine;
        _image = image;
        _project = project;
        _mounts = mounts;
        _network = network;
    }

    /// <summary>A runner for commands in the container, creating and starting it on first use (and again after an abort).</summary>
    public async Task<IToolRunner> RunnerAsync(CancellationToken cancellationToken)
    {
        _id ??= await StartAsync(cancellationToken).ConfigureAwait(false);
        var id = _id;
        return new ContainerToolRunner(_engine, id, () => AbortAsync(id));
    }

    public async ValueTask DisposeAsync()
    {
        if (_id is { } id)
        {
            _id = null;
            await RemoveAsync(id).ConfigureAwait(false);
        }
    }

    private async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        var created = await _engine.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"{_project}-backup-tool-{Guid.NewGuid().ToString("N")[..8]}",
            Image = _image,
            Hostname = "datamancy-backup",
            Entrypoint = ["sleep"],
            Cmd = ["86400"],
            Labels = new Dictionary<string, string> { [Label] = _project },
            HostConfig = new HostConfig
            {
                Init = true,
                NetworkMode = _network ? "bridge" : "none",
                Mounts = _mounts.Select(ToMount).ToList(),
            },
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            await _engine.StartContainerAsync(created, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveAsync(created).ConfigureAwait(false);
            throw;
        }

        return created;
    }

    private async Task AbortAsync(string id)
    {
        if (_id == id)
        {
            _id = null;
        }

        await RemoveAsync(id).ConfigureAwait(false);
    }

    private async Task RemoveAsync(string id)
    {
        // Not the caller's token: a cancelled call must still remove what it made.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _engine.RemoveContainerAsync(id, true, timeout.Token).ConfigureAwait(false);
    }

    private static Mount ToMount(ToolMount mount) => mount.Type switch
    {
        "tmpfs" => new Mount { Type = "tmpfs", Target = mount.Target, TmpfsOptions = mount.SizeBytes > 0 ? new TmpfsOptions { SizeBytes = mount.SizeBytes } : null },
        _ => new Mount { Type = mount.Type, Source = mount.Source, Target = mount.Target, ReadOnly = mount.ReadOnly },
    };
}
