using Datamancy.Engine;
using Datamancy.Errors;

namespace Datamancy.Tests.Fakes;

// Images, volumes and networks: named objects with labels, created, listed and removed.
public sealed partial class FakeEngine
{
    private readonly List<LocalImage> _images = [];
    private readonly Dictionary<string, string> _pullable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VolumeInfo> _volumes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NetworkInfo> _networks = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> VolumeNames
    {
        get
        {
            lock (_lock)
            {
                return [.. _volumes.Keys];
            }
        }
    }

    public IReadOnlyCollection<string> NetworkNames
    {
        get
        {
            lock (_lock)
            {
                return [.. _networks.Keys];
            }
        }
    }

    /// <summary>Puts an image on the engine under <paramref name="reference"/> and returns its id.</summary>
    public string AddImage(string reference, string? digest = null)
    {
        var id = "sha256:" + NewId(reference);
        lock (_lock)
        {
            _images.Add(new LocalImage(id, [reference], digest is null ? [] : [$"{reference.Split(':')[0]}@{digest}"], new Dictionary<string, string>(), DateTime.UtcNow));
        }

        return id;
    }

    /// <summary>A pull of <paramref name="reference"/> succeeds (other pulls are refused as the registry would).</summary>
    public FakeEngine Pullable(string reference, string digest = "sha256:feed")
    {
        lock (_lock)
        {
            _pullable[reference] = digest;
        }

        return this;
    }

    public FakeEngine AddVolume(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        lock (_lock)
        {
            _volumes[name] = new VolumeInfo(name, "local", $"/var/lib/docker/volumes/{name}/_data", labels ?? new Dictionary<string, string>());
        }

        return this;
    }

    public FakeEngine AddNetwork(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        lock (_lock)
        {
            _networks[name] = new NetworkInfo(NewId(name), name, "bridge", "local", false, false, labels ?? new Dictionary<string, string>());
        }

        return this;
    }

    public Task<LocalImage?> InspectImageAsync(string reference, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(FindImage(reference));
        }
    }

    public Task<IReadOnlyList<LocalImage>> ListImagesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<LocalImage>>([.. _images]);
        }
    }

    public async Task PullImageAsync(string reference, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        await EnterAsync("pull", [reference], reference, cancellationToken).ConfigureAwait(false);
        string digest;
        lock (_lock)
        {
            if (!_pullable.TryGetValue(reference, out digest!))
            {
                throw Refusal(ErrorIds.EngineError, $"The engine could not pull image {reference}: pull access denied");
            }
        }

        progress?.Report(new PullProgress(reference, "layer", "Pull complete", 1, 1));
        lock (_lock)
        {
            _images.RemoveAll(i => i.RepoTags.Contains(reference));
        }

        AddImage(reference, digest);
    }

    public Task<string> InspectDistributionAsync(string reference, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _pullable.TryGetValue(reference, out var digest)
                ? Task.FromResult(digest)
                : throw Refusal(ErrorIds.EngineError, $"The registry has no image {reference}");
        }
    }

    public async Task TagImageAsync(string image, string repository, string tag, CancellationToken cancellationToken)
    {
        await EnterAsync("tag", [image], image, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var found = FindImage(image) ?? throw Refusal(ErrorIds.EngineObjectNotFound, $"No such image: {image}");
            _images.Remove(found);
            _images.Add(found with { RepoTags = [.. found.RepoTags, $"{repository}:{tag}"] });
        }
    }

    public async Task<bool> RemoveImageAsync(string reference, CancellationToken cancellationToken)
    {
        await EnterAsync("remove-image", [reference], reference, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (FindImage(reference) is not { } found)
            {
                return false;
            }

            _images.Remove(found);
            var left = found.RepoTags.Where(t => t != reference).ToList();
            if (left.Count > 0 && found.Id != reference)
            {
                _images.Add(found with { RepoTags = left });
            }

            return true;
        }
    }

    public Task<IReadOnlyList<VolumeInfo>> ListVolumesAsync(IReadOnlyDictionary<string, string?>? labels, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<VolumeInfo>>(_volumes.Values.Where(v => LabelsMatch(v.Labels, labels)).ToList());
        }
    }

    public Task<VolumeInfo?> InspectVolumeAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_volumes.GetValueOrDefault(name));
        }
    }

    public async Task<string> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken)
    {
        await EnterAsync("create-volume", [spec.Name], spec.Name, cancellationToken).ConfigureAwait(false);
        AddVolume(spec.Name, spec.Labels);
        return spec.Name;
    }

    public async Task<bool> RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken)
    {
        await EnterAsync("remove-volume", [name], name, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return _volumes.Remove(name);
        }
    }

    public Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(IReadOnlyDictionary<string, string?>? labels, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<NetworkInfo>>(_networks.Values.Where(n => LabelsMatch(n.Labels, labels)).ToList());
        }
    }

    public async Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
    {
        await EnterAsync("create-network", [spec.Name], spec.Name, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_networks.ContainsKey(spec.Name))
            {
                throw Refusal(ErrorIds.EngineConflict, $"network with name {spec.Name} already exists");
            }

            var network = new NetworkInfo(NewId(spec.Name), spec.Name, spec.Driver ?? "bridge", "local", spec.Internal, spec.Attachable, spec.Labels);
            _networks[spec.Name] = network;
            return network.Id;
        }
    }

    public async Task<bool> RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            idOrName = _networks.Values.FirstOrDefault(n => n.Id == idOrName)?.Name ?? idOrName;
        }

        await EnterAsync("remove-network", [idOrName], idOrName, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return _networks.Remove(idOrName);
        }
    }

    // Under the lock.
    private LocalImage? FindImage(string reference) =>
        _images.FirstOrDefault(i => i.Id == reference || i.RepoTags.Contains(reference));
}
