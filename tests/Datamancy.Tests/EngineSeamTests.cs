using System.Text.RegularExpressions;
using Xunit;

namespace Datamancy.Tests;

/// <summary>The core reaches Docker only through the seam: no file outside Engine/ knows Docker.DotNet's client or its exceptions.</summary>
public sealed partial class EngineSeamTests
{
    [Fact]
    public void Only_the_engine_folder_knows_the_docker_client()
    {
        var core = SourceFolder("src/Datamancy.Core");
        var offenders = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(core, f).StartsWith("Engine" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => DockerClientUse().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(core, f)}: {m.Value}"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Cmdlets_never_touch_docker_directly()
    {
        var cmdlets = SourceFolder("src/Datamancy");
        var offenders = Directory.EnumerateFiles(cmdlets, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("Docker.DotNet", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(offenders);
    }

    internal static string SourceFolder(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(Path.Combine(dir.FullName, "Datamancy.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"{relative} was not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\bDockerClient\b|\bDockerApiException\b|\bDocker(Container|Image)NotFoundException\b|\bMultiplexedStream\b|using Docker\.DotNet;")]
    private static partial Regex DockerClientUse();
}
