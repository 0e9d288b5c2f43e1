using System.Security.Cryptography;
using Datamancy.Backup;
using Datamancy.Backup.Restic;
using Datamancy.Errors;
using Xunit;

namespace Datamancy.Tests.Backup;

/// <summary>The restic adapter against Debian's real restic (installed by tests/env/install-checkers.sh), on a local process runner and a temporary repository.</summary>
[Trait("Category", "Integration")]
public sealed class ResticEngineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dm-restic-" + Guid.NewGuid().ToString("N"));
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public ResticEngineTests() => Directory.CreateDirectory(Path.Combine(_root, "src", "sub"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private ResticEngine Engine(string? password = null) => new(new ProcessToolRunner(), "restic", new Dictionary<string, string>
    {
        ["RESTIC_REPOSITORY"] = Path.Combine(_root, "repo"),
        ["RESTIC_PASSWORD"] = password ?? _password,
        ["RESTIC_CACHE_DIR"] = Path.Combine(_root, "cache"),
    }, "xunit");

    private static Dictionary<string, string> Tags(string target) => new() { [BackupTags.Project] = "xunit", [BackupTags.Target] = target, [BackupTags.Kind] = "Volume" };

    [Fact]
    public async Task LeavesTheSecretPatternsOutAtAnyDepth()
    {
        var source = Path.Combine(_root, "src");
        File.WriteAllText(Path.Combine(source, ".env"), "SECRET=x");
        File.WriteAllText(Path.Combine(source, ".env.example"), "SECRET=");
        File.WriteAllText(Path.Combine(source, "sub", "wildcard.key"), "key");
        File.WriteAllText(Path.Combine(source, "sub", "wildcard.crt"), "crt");
        var engine = Engine();
        await engine.EnsureRepositoryAsync(CancellationToken.None);

        var outcome = await engine.BackupPathAsync(source, StackFolderSecrets.Patterns, Tags("configs"), CancellationToken.None);

        var files = (await engine.ListFilesAsync(outcome.Snapshot!, CancellationToken.None)).Where(e => e.Type == "file").Select(e => e.Path).Order(StringComparer.Ordinal);
        Assert.Equal([".env.example", "sub/wildcard.crt"], files);
    }

    [Fact]
    public async Task CreatesTheRepositoryOnceThenOpensIt()
    {
        Assert.True(await Engine().EnsureRepositoryAsync(CancellationToken.None));
        Assert.False(await Engine().EnsureRepositoryAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AWrongPasswordIsRepositoryUnavailableWithoutThePassword()
    {
        await Engine().EnsureRepositoryAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<DatamancyException>(() => Engine("wrong-password-value").ListAsync(CancellationToken.None));
        Assert.Equal(ErrorIds.BackupRepositoryUnavailable, error.ErrorId);
        Assert.Contains("wrong password", error.Message);
        Assert.DoesNotContain("wrong-password-value", error.Message);
    }

    [Fact]
    public async Task BacksUpADirectoryListsItsFilesAndTagsRoundTrip()
    {
        var source = Path.Combine(_root, "src");
        File.WriteAllText(Path.Combine(source, "a b.txt"), "hello");
        File.WriteAllBytes(Path.Combine(source, "sub", "data.bin"), RandomNumberGenerator.GetBytes(5000));
        var engine = Engine();
        await engine.EnsureRepositoryAsync(CancellationToken.None);

        var outcome = await engine.BackupPathAsync(source, null, Tags("src"), CancellationToken.None);

        Assert.NotNull(outcome.Snapshot);
        Assert.Equal(2, outcome.Files);
        Assert.Equal(5005, outcome.Bytes);
        var listed = Assert.Single(await engine.ListAsync(CancellationToken.None));
        Assert.Equal(outcome.Snapshot!.Id, listed.Id);
        Assert.Equal("src", listed.Tags[BackupTags.Target]);
        Assert.Equal(source, listed.SourcePath);
        var files = (await engine.ListFilesAsync(listed, CancellationToken.None)).Where(f => f.Type == "file").OrderBy(f => f.Path).ToList();
        Assert.Equal(["a b.txt", "sub/data.bin"], files.Select(f => f.Path));
        Assert.Equal([5L, 5000L], files.Select(f => f.Size));
    }

    [Fact]
    public async Task AStreamBecomesOneFileAndReadsBackByteForByte()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        var engine = Engine();
        await engine.EnsureRepositoryAsync(CancellationToken.None);

        var outcome = await engine.BackupStreamAsync("/sources/db/x", "x.sql", (input, token) => input.WriteAsync(content, token).AsTask(), Tags("x"), CancellationToken.None);

        Assert.Equal("/x.sql", outcome.Snapshot!.SourcePath);
        using var back = new MemoryStream();
        await engine.ReadFileAsync(outcome.Snapshot, "x.sql", (output, token) => output.CopyToAsync(back, token), CancellationToken.None);
        Assert.Equal(content, back.ToArray());
    }

    [Fact]
    public async Task AStreamThatBreaksOffSavesNoSnapshot()
    {
        var engine = Engine();
        await engine.EnsureRepositoryAsync(CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() => engine.BackupStreamAsync("/sources/db/x", "x.sql", async (input, token) =>
        {
            await input.WriteAsync(new byte[100_000], token);
            throw new IOException("the dump broke off");
        }, Tags("x"), CancellationToken.None));

        Assert.Empty(await engine.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RetentionForgetsAllButTheLatest()
    {
        var source = Path.Combine(_root, "src");
        var engine = Engine();
        await engine.EnsureRepositoryAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(source, "n.txt"), i.ToString());
            await engine.BackupPathAsync(source, null, Tags("src"), CancellationToken.None);
        }

        await engine.ApplyRetentionAsync(new RetentionPolicy(1, null, null, null, null, null), CancellationToken.None);

        Assert.Single(await engine.ListAsync(CancellationToken.None));
        Assert.True((await engine.VerifyAsync((await engine.ListAsync(CancellationToken.None))[0], CancellationToken.None)).Passed);
    }

    [Fact]
    public void ATagValueWithACommaIsRefused()
    {
        var error = Assert.Throws<DatamancyException>(() => ResticTags.Format(new Dictionary<string, string> { ["k"] = "a,b" }).ToList());
        Assert.Equal(ErrorIds.InvalidValue, error.ErrorId);
    }
}
