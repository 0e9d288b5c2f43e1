using Datamancy.Backup;
using Datamancy.Errors;
using Xunit;

namespace Datamancy.Tests.Backup;

public sealed class BackupSettingsTests
{
    private const string Services = """
        services:
          db:
            image: postgres:16
            volumes: ["db_data:/var/lib/postgresql/data"]
          app:
            image: nginx:1
            volumes: ["app_data:/data", "./conf:/etc/app:ro"]
          kopia:
            image: kopia/kopia:0.22.3
            volumes: ["kopia_config:/app/config", "kopia_repository:/repository", "app_data:/sources/volumes/app_data:ro"]
        volumes:
          db_data: {}
          app_data: {}
          kopia_config: {}
          kopia_repository: {}
          unused: {}
        """;

    [Fact]
    public void WithoutTheBlockKopiaRunsFromTheKopiaServiceWithItsStateVolumes()
    {
        using var stack = new TestStack(Services);
        var settings = BackupSettingsReader.Read(stack.Load());
        Assert.Equal(BackupSettings.Kopia, settings.Engine);
        Assert.Equal("kopia/kopia:0.22.3", settings.Image);
        Assert.Equal("/repository", settings.Repository);
        Assert.Equal("KOPIA_REPOSITORY_PASSWORD", settings.PasswordVariable);
        Assert.Equal(["/app/config", "/repository"], settings.RepositoryMounts.Select(m => m.Target));
        Assert.All(settings.RepositoryMounts, m => Assert.False(m.ReadOnly));
    }

    [Fact]
    public void ResticWithALocalRepositoryBindsItAtTheSamePath()
    {
        using var stack = new TestStack("x-datamancy-backup:\n  engine: restic\n  image: restic/restic:0.17.3\n  repository: ./data/repo\n" + Services);
        var settings = BackupSettingsReader.Read(stack.Load());
        var path = Path.Combine(stack.Directory, "data", "repo");
        Assert.Equal(path, settings.Repository);
        Assert.Equal(path, settings.RepositoryHostPath);
        Assert.Equal([ToolMount.Bind(path, path, false)], settings.RepositoryMounts);
        Assert.False(settings.NeedsNetwork);
        Assert.Equal("RESTIC_REPOSITORY_PASSWORD", settings.PasswordVariable);
    }

    [Fact]
    public void ResticWithARemoteRepositoryNeedsTheNetworkAndNoMount()
    {
        using var stack = new TestStack("x-datamancy-backup:\n  engine: restic\n  image: r:1\n  repository: sftp:backup@nas:/srv/restic\n" + Services);
        var settings = BackupSettingsReader.Read(stack.Load());
        Assert.True(settings.NeedsNetwork);
        Assert.Empty(settings.RepositoryMounts);
        Assert.Equal("sftp:backup@nas:/srv/restic", settings.Repository);
    }

    [Theory]
    [InlineData("x-datamancy-backup:\n  engine: borg\n", "InvalidValue", "x-datamancy-backup.engine")]
    [InlineData("x-datamancy-backup:\n  engine: restic\n  repository: ./r\n", "InvalidValue", "needs 'image'")]
    [InlineData("x-datamancy-backup:\n  engin: restic\n", "UnknownKey", "unknown key 'engin'")]
    [InlineData("x-datamancy-backup:\n  service: nosuch\n", "ServiceNotFound", "'nosuch'")]
    public void BadSettingsSayWhatAndWhere(string block, string errorId, string message)
    {
        using var stack = new TestStack(block + Services);
        var error = Assert.Throws<DatamancyException>(() => BackupSettingsReader.Read(stack.Load()));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(message, error.Message);
        Assert.Contains("docker-compose.yml:", error.Message);
    }

    [Fact]
    public void PasswordComesFromTheEnvironmentBeforeEnvFileAndIsRequired()
    {
        using var stack = new TestStack(Services, env: "KOPIA_REPOSITORY_PASSWORD=from-env-file\n");
        var loaded = stack.Load();
        var settings = BackupSettingsReader.Read(loaded);
        Assert.Equal("from-env-file", BackupPassword.Resolve(loaded, settings, null, _ => null));
        Assert.Equal("from-process", BackupPassword.Resolve(loaded, settings, null, n => n == "KOPIA_REPOSITORY_PASSWORD" ? "from-process" : null));
        Assert.Equal("given", BackupPassword.Resolve(loaded, settings, "given", _ => "from-process"));
        File.WriteAllText(Path.Combine(stack.Directory, ".env"), "OTHER=1\n");
        var error = Assert.Throws<DatamancyException>(() => BackupPassword.Resolve(stack.Load(), settings, null, _ => null));
        Assert.Equal(ErrorIds.BackupPasswordMissing, error.ErrorId);
        Assert.Contains("KOPIA_REPOSITORY_PASSWORD", error.Message);
    }

    [Fact]
    public void TargetsAreTheAppVolumesTheDatabasesAndTheConfigs()
    {
        using var stack = new TestStack(Services);
        var targets = BackupTargetResolver.All(stack.Load());
        Assert.Equal(["app_data", "db", "configs"], targets.Select(t => t.Name));
        Assert.Equal([BackupTarget.VolumeKind, BackupTarget.DatabaseKind, BackupTarget.ConfigsKind], targets.Select(t => t.Kind));
        Assert.Equal("/sources/volumes/app_data", targets[0].SourcePath);
    }

    [Fact]
    public void TargetSelectionTakesGroupsAndWildcardsAndRefusesUnknownNames()
    {
        using var stack = new TestStack(Services);
        var loaded = stack.Load();
        Assert.Equal(["db"], BackupTargetResolver.Select(loaded, ["databases"]).Select(t => t.Name));
        Assert.Equal(["app_data", "configs"], BackupTargetResolver.Select(loaded, ["app*", "configs"]).Select(t => t.Name));
        var error = Assert.Throws<DatamancyException>(() => BackupTargetResolver.Select(loaded, ["nosuch"]));
        Assert.Equal(ErrorIds.BackupTargetNotFound, error.ErrorId);
        Assert.Contains("app_data, db, configs", error.Message);
    }
}
