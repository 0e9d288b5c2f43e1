using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Tests;

/// <summary>A throwaway stack folder with a compose file (and optional .env) for one test.</summary>
internal sealed class TestStack : IDisposable
{
    public TestStack(string compose, string? env = null, string? caddyfile = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "dm-xunit-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(ComposeFile, compose.Replace("\r\n", "\n"));
        if (env is not null)
        {
            File.WriteAllText(Path.Combine(Directory, ".env"), env);
        }

        if (caddyfile is not null)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, "caddy"));
            File.WriteAllText(Path.Combine(Directory, "caddy", "Caddyfile"), caddyfile);
        }
    }

    public string Directory { get; }

    public string ComposeFile => Path.Combine(Directory, "docker-compose.yml");

    public StackDefinition Load(IReadOnlyDictionary<string, string>? environment = null) =>
        new StackLoader(name => environment is not null && environment.TryGetValue(name, out var v) ? v : null).Load(Directory);

    /// <summary>Loads a stack that must be refused, and returns the error.</summary>
    public static DatamancyException LoadFails(string compose, string? env = null)
    {
        using var stack = new TestStack(compose, env);
        return Assert.Throws<DatamancyException>(() => stack.Load());
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
