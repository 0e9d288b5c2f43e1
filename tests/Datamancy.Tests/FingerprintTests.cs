using Datamancy.Errors;
using Datamancy.Fingerprints;

namespace Datamancy.Tests;

public sealed class FingerprintTests : IDisposable
{
    private readonly TestStack _stack = new("""
        services:
          app:
            image: app:1
            environment:
              APP_PASSWORD: ${APP_PASSWORD:-hunter2-secret}
              MODE: production
        """);

    public void Dispose() => _stack.Dispose();

    private static FingerprintParts Parts(string config = "sha256:c", string env = "sha256:e") =>
        new("sha256:image", "app@sha256:repo", config, env, "sha256:compose");

    [Fact]
    public void Names_exactly_the_parts_that_changed()
    {
        Assert.Empty(Parts().ChangedFrom(Parts()));
        Assert.Equal(["ConfigHash"], Parts(config: "sha256:other").ChangedFrom(Parts()));
        Assert.Equal(["ConfigHash", "EnvHash"], Parts("sha256:x", "sha256:y").ChangedFrom(Parts()));
        Assert.Equal(["ImageDigest"], (Parts() with { ImageDigest = string.Empty }).ChangedFrom(Parts()));
        Assert.Empty((Parts() with { RepoDigest = "other" }).ChangedFrom(Parts()));
    }

    [Fact]
    public void Combines_the_parts_into_one_sha256()
    {
        Assert.Matches("^sha256:[0-9a-f]{64}$", Parts().Fingerprint);
        Assert.NotEqual(Parts().Fingerprint, Parts(config: "sha256:other").Fingerprint);
        Assert.Equal(Parts().Fingerprint, (Parts() with { RepoDigest = "other" }).Fingerprint);
    }

    [Fact]
    public void Reports_Fresh_Stale_and_NeverPassed()
    {
        var record = new LastPassRecord("app", Parts(), DateTimeOffset.UtcNow, "0.1.0", ["Container"]);
        Assert.Equal((FingerprintState.NeverPassed, 0), Count(Freshness.Compare(Parts(), null)));
        Assert.Equal((FingerprintState.Fresh, 0), Count(Freshness.Compare(Parts(), record)));
        Assert.Equal((FingerprintState.Stale, 1), Count(Freshness.Compare(Parts(config: "sha256:new"), record)));
    }

    [Fact]
    public void Hashes_the_environment_without_showing_a_value_and_keeps_it_out_of_ComposeHash()
    {
        var service = _stack.Load().FindService("app")!;
        var envHash = FingerprintCalculator.EnvHash(service, _ => null);
        Assert.Matches("^sha256:[0-9a-f]{64}$", envHash);
        Assert.DoesNotContain("hunter2", envHash, StringComparison.Ordinal);

        var changed = _stack.Load(new Dictionary<string, string> { ["APP_PASSWORD"] = "another" }).FindService("app")!;
        Assert.NotEqual(envHash, FingerprintCalculator.EnvHash(changed, _ => null));
        Assert.Equal(FingerprintCalculator.ComposeHash(service), FingerprintCalculator.ComposeHash(changed));
    }

    [Fact]
    public void Round_trips_last_pass_json()
    {
        var record = new LastPassRecord("app", Parts(), new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero), "0.1.0", ["Container", "GET /"]);
        var path = Path.Combine(_stack.Directory, "data", "tests", "app", LastPassStore.FileName);
        Assert.Equal(path, LastPassStore.PathOf(_stack.Directory, "app"));
        Assert.Null(LastPassStore.Read(path, "app"));

        LastPassStore.Write(path, record);
        var read = LastPassStore.Read(path, "app")!;
        Assert.Equal(record.Parts, read.Parts);
        Assert.Equal(record.PassedAt, read.PassedAt);
        Assert.Equal(record.Checks, read.Checks);
        Assert.Equal(record.Fingerprint, read.Fingerprint);
        var text = File.ReadAllText(path);
        Assert.Contains("\"schemaVersion\": 1", text, StringComparison.Ordinal);
        Assert.Contains($"\"fingerprint\": \"{record.Fingerprint}\"", text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 2}", "newer")]
    [InlineData("{\"schemaVersion\": 1, \"service\": \"other\"}", "'other'")]
    [InlineData("not json", "not a valid record")]
    [InlineData("{\"schemaVersion\": 1, \"service\": \"app\"}", "not a valid record")]
    public void Refuses_a_last_pass_json_it_cannot_trust(string text, string reason)
    {
        var path = Path.Combine(_stack.Directory, LastPassStore.FileName);
        File.WriteAllText(path, text);
        var error = Assert.Throws<DatamancyException>(() => LastPassStore.Read(path, "app"));
        Assert.Equal(ErrorIds.LastPassInvalid, error.ErrorId);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_record_whose_fingerprint_does_not_match_its_parts()
    {
        var path = Path.Combine(_stack.Directory, LastPassStore.FileName);
        var text = LastPassStore.Serialize(new LastPassRecord("app", Parts(), DateTimeOffset.UtcNow, "0.1.0", []));
        File.WriteAllText(path, text.Replace("\"configHash\": \"sha256:c\"", "\"configHash\": \"sha256:edited\"", StringComparison.Ordinal));
        Assert.Equal(ErrorIds.LastPassInvalid, Assert.Throws<DatamancyException>(() => LastPassStore.Read(path, "app")).ErrorId);
    }

    private static (FingerprintState, int) Count((FingerprintState State, IReadOnlyList<string> Changed) result) => (result.State, result.Changed.Count);
}
