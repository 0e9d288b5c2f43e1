using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// The module's own load context: Datamancy.Core and its dependencies (YamlDotNet, ...) load from
/// the module's dependencies/ folder here, so another module that loaded another version of them
/// into the session cannot break the import, and we cannot break it.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    public const string CoreAssemblyName = "Datamancy.Core";

    private readonly string _directory;

    public DependencyLoadContext(string directory) : base("Datamancy", isCollectible: false) => _directory = directory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // A package's OS-specific build (runtimes/<os>/lib/net8.0, such as System.DirectoryServices.Protocols
        // on libldap) wins over its lib/ build, which only throws PlatformNotSupportedException.
        foreach (var os in OperatingSystemFolders())
        {
            var specific = Path.Combine(_directory, "runtimes", os, "lib", "net8.0", assemblyName.Name + ".dll");
            if (File.Exists(specific))
            {
                return LoadFromAssemblyPath(specific);
            }
        }

        var path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    private static IEnumerable<string> OperatingSystemFolders()
    {
        if (OperatingSystem.IsWindows())
        {
            yield return "win";
            yield break;
        }

        yield return OperatingSystem.IsMacOS() ? "osx" : RuntimeInformation.IsOSPlatform(OSPlatform.FreeBSD) ? "freebsd" : "linux";
        yield return "unix";
    }
}
