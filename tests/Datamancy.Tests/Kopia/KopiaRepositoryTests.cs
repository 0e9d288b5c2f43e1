using Datamancy.Backup;
using Datamancy.Backup.Kopia;
using Datamancy.Errors;
using static Datamancy.Tests.Kopia.KopiaFixtures;

namespace Datamancy.Tests.Kopia;

/// <summary>EnsureRepositoryAsync over `kopia repository status --json`, and the global retention policy.</summary>
public sealed class KopiaRepositoryTests
{
    private const string Repository = "/repository";

    private readonly FakeToolRunner _runner = new();

    [Fact]
    public async Task A_connected_repository_is_left_as_it_is()
    {
        Assert.False(await NewEngine(_runner.ReturnsFixture(0, "status-ok"), Repository).EnsureRepositoryAsync(default));

        Assert.Equal(["kopia", "repository", "status", "--json"], _runner.Invocations.Single().Arguments);
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public async Task Not_connected_without_a_repository_path_says_how_to_fix_it()
    {
        var error = await ThrowsAsync(ErrorIds.BackupRepositoryUnavailable,
            () => NewEngine(_runner.ReturnsFixture(1, "status-not-connected")).EnsureRepositoryAsync(default));

        Assert.Equal(ErrorKind.ResourceUnavailable, error.Kind);
        Assert.Contains("kopia service", error.Message, StringComparison.Ordinal);
        Assert.Contains("kopia repository connect", error.Message, StringComparison.Ordinal);
        Assert.Single(_runner.Invocations);
    }

    [Fact]
    public async Task Not_connected_with_a_filesystem_repository_creates_it()
    {
        var created = await NewEngine(_runner.ReturnsFixture(1, "status-not-connected").Returns(0), Repository).EnsureRepositoryAsync(default);

        Assert.True(created);
        Assert.Equal(["kopia", "repository", "create", "filesystem", "--path", Repository, "--no-check-for-updates"], _runner.Invocations[1].Arguments);
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public async Task A_repository_that_exists_but_lost_its_connection_is_connected_not_created()
    {
        var created = await NewEngine(_runner.ReturnsFixture(1, "status-not-connected").ReturnsFixture(1, "create-repository-exists").Returns(0), Repository)
            .EnsureRepositoryAsync(default);

        Assert.False(created);
        Assert.Equal(["kopia", "repository", "connect", "filesystem", "--path", Repository, "--no-check-for-updates"], _runner.Invocations[2].Arguments);
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public async Task A_wrong_password_is_repository_unavailable_without_the_password()
    {
        var error = await ThrowsAsync(ErrorIds.BackupRepositoryUnavailable,
            () => NewEngine(_runner.ReturnsFixture(1, "status-wrong-password"), Repository).EnsureRepositoryAsync(default));

        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("password", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid repository password", error.Message, StringComparison.Ordinal);
        Assert.Single(_runner.Invocations);
    }

    [Fact]
    public async Task Creating_needs_a_password_and_none_means_no_run()
    {
        var engine = new KopiaEngine(_runner.ReturnsFixture(1, "status-not-connected"), "kopia", new Dictionary<string, string>(), Repository);

        var error = await ThrowsAsync(ErrorIds.BackupRepositoryUnavailable, () => engine.EnsureRepositoryAsync(default));

        Assert.Contains("KOPIA_PASSWORD", error.Message, StringComparison.Ordinal);
        Assert.Single(_runner.Invocations);
    }

    [Fact]
    public async Task Whatever_Kopia_says_reaches_no_message_with_a_value_of_the_environment()
    {
        var error = await ThrowsAsync(ErrorIds.BackupRepositoryUnavailable, () => NewEngine(_runner.Returns(1, "",
            $"unable to open repository: cannot open storage: error connecting to {ConfigPath} as admin:{Password}\n")).EnsureRepositoryAsync(default));

        Assert.DoesNotContain(ConfigPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("admin:***", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retention_sets_only_the_rules_given_on_the_global_policy()
    {
        await NewEngine(_runner.Returns(0)).ApplyRetentionAsync(new RetentionPolicy(7, null, 14, null, 6, 0), default);

        Assert.Equal(
            ["kopia", "policy", "set", "--global", "--keep-latest", "7", "--keep-daily", "14", "--keep-monthly", "6", "--keep-annual", "0"],
            _runner.Invocations.Single().Arguments);
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public async Task Retention_without_rules_runs_nothing_because_Kopia_would_say_no_changes()
    {
        await NewEngine(_runner).ApplyRetentionAsync(new RetentionPolicy(null, null, null, null, null, null), default);

        Assert.Empty(_runner.Invocations);
    }

    [Fact]
    public async Task A_retention_Kopia_refuses_fails_with_its_words()
    {
        var error = await ThrowsAsync(ErrorIds.BackupToolFailed, () => NewEngine(_runner.Returns(1, "",
            "Setting policy for (global)\nretention policy: can't parse the number of latest backups to keep \"x\": invalid syntax\n"))
            .ApplyRetentionAsync(new RetentionPolicy(1, null, null, null, null, null), default));

        Assert.Contains("can't parse", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_retention_count_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => NewEngine(_runner).ApplyRetentionAsync(new RetentionPolicy(-1, null, null, null, null, null), default));
        Assert.Empty(_runner.Invocations);
    }
}
