using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Swarm;

/// <summary>One file of a read-only bind mount, delivered as a swarm config: named by its content's hash, so a change makes a new config.</summary>
public sealed record SwarmConfigFile(string Name, string Target, string Source, byte[] Data)
{
    public SwarmObjectData ToData() => new(Name, Data, Source);
}

/// <summary>
/// Read-only bind mounts of files inside the stack folder (the service's config files and folders)
/// become swarm configs, so that every node gets them without the folder being there; a folder
/// becomes one config per file. The swarm keeps a config up to 500 KiB; a larger file is refused.
/// Other bind mounts (writable ones, or paths outside the stack such as the engine socket) stay binds.
/// </summary>
public static class SwarmConfigFiles
{
    public const int MaxBytes = 500 * 1024;

    public static bool IsConfig(StackDefinition stack, VolumeMount mount) =>
        mount is { Type: "bind", ReadOnly: true, Source: { } source }
        && IsInside(stack.Directory, source) && (File.Exists(source) || Directory.Exists(source));

    public static IReadOnlyList<SwarmConfigFile> For(StackDefinition stack, ServiceDefinition service) =>
        service.Volumes.Where(v => IsConfig(stack, v)).SelectMany(v => Files(stack, service, v)).ToList();

    private static IEnumerable<SwarmConfigFile> Files(StackDefinition stack, ServiceDefinition service, VolumeMount mount)
    {
        var source = mount.Source!;
        var files = File.Exists(source)
            ? [(Path: source, Target: mount.Target)]
            : Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => (Path: f, Target: mount.Target.TrimEnd('/') + "/" + Path.GetRelativePath(source, f).Replace('\\', '/')));
        foreach (var (path, target) in files)
        {
            var data = File.ReadAllBytes(path);
            if (data.Length > MaxBytes)
            {
                throw new DatamancyException(ErrorIds.SwarmConfigTooLarge, ErrorKind.InvalidData,
                    $"{service.Mark}: service '{service.Name}' mounts {path} ({data.Length} bytes), which a swarm config cannot carry (at most {MaxBytes} bytes). " +
                    "Make the file smaller, or deliver it another way (a volume, or baked into the image).", path);
            }

            yield return new SwarmConfigFile(SwarmObjectStore.VersionedName($"{stack.ProjectName}_cfg", data), target, path, data);
        }
    }

    private static bool IsInside(string folder, string path)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(folder), Path.GetFullPath(path));
        return relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
