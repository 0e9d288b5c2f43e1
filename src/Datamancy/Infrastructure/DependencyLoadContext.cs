using System.Reflection;
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
        var path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
