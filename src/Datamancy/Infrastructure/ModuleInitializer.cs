using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// Sends the default context's request for Datamancy.Core to the module's own load context. It is
/// hooked as early as possible (a module initializer runs before any type of this assembly is used,
/// which is before PowerShell reflects over the cmdlets), and IModuleAssemblyInitializer covers hosts
/// that import the assembly some other way.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly object Gate = new();
    private static DependencyLoadContext? _context;

    public void OnImport() => Register();

#pragma warning disable CA2255 // Deliberate: the resolver must exist before PowerShell reflects over the cmdlets.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        lock (Gate)
        {
            if (_context is not null)
            {
                return;
            }

            _context = new DependencyLoadContext(Path.Combine(ModuleDirectory, "dependencies"));
            AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    private static string ModuleDirectory => Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    // Datamancy.Core (and through it every dependency) goes to the module's context; the output
    // types stay in the default context, where the session's type literals can see them.
    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) => name.Name switch
    {
        DependencyLoadContext.CoreAssemblyName => _context!.LoadFromAssemblyName(name),
        TypesAssemblyName => context.LoadFromAssemblyPath(Path.Combine(ModuleDirectory, TypesAssemblyName + ".dll")),
        _ => null,
    };

    private const string TypesAssemblyName = "Datamancy.Types";
}
