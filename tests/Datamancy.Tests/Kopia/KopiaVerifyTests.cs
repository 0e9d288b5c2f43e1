using Datamancy.Errors;
using static Datamancy.Tests.Kopia.KopiaFixtures;

namespace Datamancy.Tests.Kopia;

/// <summary>`kopia snapshot verify --json`: the result is printed even when verification fails (exit 1).</summary>
public sealed class KopiaVerifyTests
{
    private readonly FakeToolRunner _runner = new();

    [Fact]
    public async Task Verify_reads_back_every_file_of_the_one_snapshot()
    {
        await NewEngine(_runner.ReturnsFixture(0, "verify-ok")).VerifyAsync(Record(Nextcloud), default);

        Assert.Equal(["kopia", "snapshot", "verify", Nextcloud, "--verify-files-percent", "100", "--json"], _runner.Invocations.Single().Arguments);
        AssertSecretsOnlyInEnvironment(_runner);
    }

    [Fact]
    public async Task A_clean_verification_passes_with_Kopias_counts()
    {
        Assert.DoesNotContain("errorStrings", Read("verify-ok.stdout"), StringComparison.Ordinal);

        var outcome = await NewEngine(_runner.ReturnsFixture(0, "verify-ok")).VerifyAsync(Record(Nextcloud), default);

        Assert.True(outcome.Passed);
        Assert.Equal((1372L, 48213600L), (outcome.CheckedObjects, outcome.CheckedBytes));
    }

    [Fact]
    public async Task Verification_errors_with_exit_1_are_the_outcome_not_an_exception()
    {
        var outcome = await NewEngine(_runner.ReturnsFixture(1, "verify-errors")).VerifyAsync(Record(Nextcloud), default);

        Assert.False(outcome.Passed);
        Assert.Equal("object 0d4b7e2f9a1c3e5b7d9f1a3c5e7b9d1f is backed by missing blob p5e8a1c3b7d9f2e4a6c8b0d1f3a5c7e9b-s0c1d2e3f4a5b6c7d8", outcome.Errors[0]);
        Assert.StartsWith("2 more error(s)", outcome.Errors[1], StringComparison.Ordinal);
        Assert.Equal(2, outcome.Errors.Count);
        Assert.Equal((1372L, 48100000L), (outcome.CheckedObjects, outcome.CheckedBytes));
    }

    [Fact]
    public async Task A_snapshot_id_Kopia_cannot_load_is_snapshot_not_found()
    {
        var error = await ThrowsAsync(ErrorIds.BackupSnapshotNotFound,
            () => NewEngine(_runner.ReturnsFixture(1, "verify-missing")).VerifyAsync(Record("00000000000000000000000000000000"), default));

        Assert.Contains("found 0 of the 1 requested snapshot IDs to verify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_result_because_the_repository_cannot_be_opened_throws()
    {
        await ThrowsAsync(ErrorIds.BackupRepositoryUnavailable,
            () => NewEngine(_runner.ReturnsFixture(1, "status-wrong-password")).VerifyAsync(Record(Nextcloud), default));
    }

    [Fact]
    public async Task No_result_for_another_reason_is_verify_failed()
    {
        var error = await ThrowsAsync(ErrorIds.BackupVerifyFailed,
            () => NewEngine(_runner.Returns(1, "", "unable to read blob map: context deadline exceeded\n")).VerifyAsync(Record(Nextcloud), default));

        Assert.Contains("unable to read blob map", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_1_with_a_result_that_lists_no_error_still_fails()
    {
        var outcome = await NewEngine(_runner.Returns(1, Read("verify-ok.stdout"), "flush error: unable to write index\n")).VerifyAsync(Record(Nextcloud), default);

        Assert.False(outcome.Passed);
        Assert.Contains("unable to write index", Assert.Single(outcome.Errors), StringComparison.Ordinal);
    }
}
