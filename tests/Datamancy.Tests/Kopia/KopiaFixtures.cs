using Datamancy.Backup;
using Datamancy.Backup.Kopia;
using Datamancy.Errors;

namespace Datamancy.Tests.Kopia;

/// <summary>The fixtures (Kopia's output, byte for byte), the ids in them, and the checks every Kopia test makes.</summary>
internal static class KopiaFixtures
{
    public const string Password = "Sup3r-s3cret-repository-passphrase";
    public const string ConfigPath = "/app/config/repository.config";

    public const string NextcloudPath = "/sources/volumes/nextcloud_data";
    public const string PostgresPath = "/datamancy/db/postgres";

    // Snapshot ids and root objects as the fixtures hold them.
    public const string OlderNextcloud = "1c9e7a5b3d2f4e6081a2b3c4d5e6f708";
    public const string Nextcloud = "8d2f3c1a9b7e4d60a1b2c3d4e5f60718";
    public const string NextcloudRoot = "k5a1e0c7d9f3b2a4c6e8d0f1a3b5c7d9e";
    public const string Postgres = "f3e2d1c0b9a8978675645342312f1e0d";
    public const string PostgresRoot = "kb7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7";
    public const string Configs = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    public const string WithFatalErrors = "5b6c7d8e9fa0b1c2d3e4f5061728394a";
    public const string Incomplete = "6c7d8e9fa0b1c2d3e4f5061728394a5b";

    public static readonly IReadOnlyDictionary<string, string> ToolEnvironment =
        new Dictionary<string, string> { ["KOPIA_PASSWORD"] = Password, ["KOPIA_CONFIG_PATH"] = ConfigPath };

    public static readonly IReadOnlyDictionary<string, string> NextcloudTags =
        new Dictionary<string, string> { ["datamancy.target"] = "nextcloud", ["datamancy.kind"] = "volume" };

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Kopia", "Fixtures");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder, name));

    public static string ReadOrEmpty(string name) => File.Exists(Path.Combine(Folder, name)) ? Read(name) : "";

    public static KopiaEngine NewEngine(FakeToolRunner runner, string? filesystemRepository = null) =>
        new(runner, "kopia", ToolEnvironment, filesystemRepository);

    public static SnapshotRecord Record(string id, string path = NextcloudPath, string root = NextcloudRoot) =>
        new(id, path, DateTimeOffset.UnixEpoch, new Dictionary<string, string>(), 0, 0, "", root);

    /// <summary>The password only ever travels in the environment: never an argument, always the environment given.</summary>
    public static void AssertSecretsOnlyInEnvironment(FakeToolRunner runner)
    {
        Assert.NotEmpty(runner.Invocations);
        foreach (var invocation in runner.Invocations)
        {
            Assert.DoesNotContain(invocation.Arguments, a => a.Contains(Password, StringComparison.Ordinal));
            Assert.Equal(Password, invocation.Environment["KOPIA_PASSWORD"]);
            Assert.Equal(ConfigPath, invocation.Environment["KOPIA_CONFIG_PATH"]);
        }
    }

    public static async Task<DatamancyException> ThrowsAsync(string errorId, Func<Task> run)
    {
        var error = await Assert.ThrowsAsync<DatamancyException>(run);
        Assert.Equal(errorId, error.ErrorId);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        return error;
    }
}
