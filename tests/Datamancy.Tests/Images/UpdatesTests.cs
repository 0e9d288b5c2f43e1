using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Images;
using Datamancy.Reporting;
using Datamancy.Updates;
using Xunit;

namespace Datamancy.Tests.Images;

/// <summary>What an update run takes on, its history and pins, and the plan of a start that pulls.</summary>
public sealed class UpdatesTests
{
    private const string Compose = """
        services:
          db:
            image: 127.0.0.1:5000/db:1
            labels:
              com.centurylinklabs.watchtower.enable: "false"
          web:
            image: 127.0.0.1:5000/web:1
            pull_policy: always
            depends_on: [db]
          idle:
            image: 127.0.0.1:5000/idle:1
        """;

    private static LiveContainer Container(string service, string imageId) =>
        new("id-" + service, "p-" + service + "-1", service, ContainerState.Running, HealthStatus.Healthy, "Up", imageId, DateTime.UtcNow, [], new Dictionary<string, string>());

    [Fact]
    public void Takes_only_running_services_with_a_newer_image_and_says_why_the_others_stay()
    {
        using var folder = new TestStack(Compose);
        var stack = folder.Load();
        UpdateCandidate Candidate(string name, LiveContainer? container, string running, string registry) =>
            new(stack.FindService(name)!, container, container?.ImageId ?? string.Empty, running, registry, UpdateCandidate.IsExcluded(stack.FindService(name)!), null, null);
        var candidates = new[]
        {
            Candidate("db", Container("db", "sha256:d1"), "sha256:aa", string.Empty),
            Candidate("web", Container("web", "sha256:w1"), "sha256:bb", "sha256:cc"),
            Candidate("idle", null, string.Empty, "sha256:dd"),
        };
        var warnings = new RecordingReporter();
        var (updates, unchanged) = UpdateSelection.Decide(stack, candidates, includeExcluded: false, new HashSet<string> { "db" }, warnings);
        Assert.Equal(["web"], updates.Select(u => u.Service.Name));
        Assert.Contains("excluded", unchanged.Single(u => u.Service == "db").Reason);
        Assert.Contains("no container", unchanged.Single(u => u.Service == "idle").Reason);
        Assert.Single(warnings.Warnings, w => w.StartsWith("db is not updated", StringComparison.Ordinal));
    }

    [Fact]
    public void A_registry_that_could_not_be_asked_stops_the_run_before_anything_changes()
    {
        using var folder = new TestStack(Compose);
        var stack = folder.Load();
        var unreachable = new UpdateCandidate(stack.FindService("web")!, Container("web", "sha256:w1"), "sha256:w1", "sha256:bb", string.Empty, false, null, "connection refused");
        var error = Assert.Throws<DatamancyException>(() => UpdateSelection.Decide(stack, [unreachable], false, new HashSet<string>(), NullReporter.Instance));
        Assert.Equal(ErrorIds.RegistryUnavailable, error.ErrorId);
        Assert.StartsWith("Nothing was updated", error.Message);
    }

    [Fact]
    public void The_history_keeps_every_attempt_and_names_a_torn_line()
    {
        using var folder = new TestStack(Compose);
        UpdateHistory.Append(folder.Directory, new UpdateResult("web", "r/web:1", "sha256:a", "sha256:b", UpdateStatus.RolledBack, "unhealthy", TimeSpan.FromSeconds(3),
            DateTimeOffset.UnixEpoch, folder.Directory, ErrorIds.UpdateRolledBack), ["last line"]);
        var read = Assert.Single(UpdateHistory.Read(folder.Directory));
        Assert.Equal((UpdateStatus.RolledBack, "sha256:b", "unhealthy", ErrorIds.UpdateRolledBack), (read.Status, read.To, read.Reason, read.ErrorId));
        File.AppendAllText(UpdateHistory.PathOf(folder.Directory), "{\"time\":\n");
        var torn = Assert.Throws<DatamancyException>(() => UpdateHistory.Read(folder.Directory));
        Assert.Contains("history.jsonl:2", torn.Message);
    }

    [Fact]
    public void Pins_are_kept_until_removed()
    {
        using var folder = new TestStack(Compose);
        UpdatePins.Pin(folder.Directory, "web", new ImagePin("r/web:1", "sha256:old", "sha256:a", "v3 failed", DateTimeOffset.UnixEpoch));
        Assert.Equal("sha256:old", UpdatePins.Load(folder.Directory)["web"].ImageId);
        Assert.False(UpdatePins.Unpin(folder.Directory, ["db"]));
        Assert.True(UpdatePins.Unpin(folder.Directory, ["web"]));
        Assert.Empty(UpdatePins.Load(folder.Directory));
    }

    [Fact]
    public void A_start_plans_pull_then_create_for_an_absent_image_and_marks_an_always_pull()
    {
        using var folder = new TestStack(Compose);
        var stack = folder.Load();
        var absent = Planner.Decide(stack.FindService("db")!, new ResolvedImage(string.Empty, true), null, force: false);
        Assert.Equal((ServiceAction.Create, true), (absent.Action, absent.PullFirst));
        Assert.StartsWith("Pull, then Create", absent.Describe());
        var web = stack.FindService("web")!;
        var running = Container("web", "sha256:w1") with { Labels = new Dictionary<string, string> { [ComposeLabels.Fingerprint] = ServiceHasher.ContainerFingerprint(web, "sha256:w1") } };
        var always = Planner.Decide(web, new ResolvedImage("sha256:w1", true), running, force: false);
        Assert.Equal((ServiceAction.Unchanged, true), (always.Action, always.PullFirst));
        Assert.Equal(ServiceAction.Unchanged, Planner.Replan("proj", always, "sha256:w1", force: false).Action);
        Assert.Equal(ServiceAction.Recreate, Planner.Replan("proj", always, "sha256:w2", force: false).Action);
    }

    [Fact]
    public void Reads_pull_policy_and_refuses_what_it_cannot_honour()
    {
        using var folder = new TestStack(Compose);
        Assert.Equal(PullPolicy.Always, folder.Load().FindService("web")!.PullPolicy);
        Assert.Null(folder.Load().FindService("db")!.PullPolicy);
        var refused = TestStack.LoadFails("services:\n  a:\n    image: x:1\n    pull_policy: daily\n");
        Assert.Equal(ErrorIds.InvalidValue, refused.ErrorId);
        Assert.Contains("always, missing, if_not_present or never", refused.Message);
    }

    private sealed class RecordingReporter : IReporter
    {
        public List<string> Warnings { get; } = [];

        public void Progress(string subject, string status)
        {
        }

        public void Verbose(string message)
        {
        }

        public void Warning(string message) => Warnings.Add(message);
    }
}
