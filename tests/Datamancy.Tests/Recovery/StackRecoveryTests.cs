using Datamancy.Recovery;
using Datamancy.Tests.Fakes;
using Xunit;

namespace Datamancy.Tests.Recovery;

/// <summary>The first step of a recovery on the fake engine: the tool image pulled on a new host, every host's snapshots listed, the tool container removed.</summary>
public sealed class StackRecoveryTests
{
    private const string Image = "restic/restic:0.17.3";
    private const string Password = "s3cr3t-repository-password";

    private const string Snapshots = """
        [{"id":"c1c1c1c1","short_id":"c1","time":"2026-11-30T02:30:00Z","paths":["/sources/configs"],"hostname":"shop",
          "tags":["datamancy.kind=Configs","datamancy.project=shop","datamancy.target=configs"]},
         {"id":"v1v1v1v1","short_id":"v1","time":"2026-11-30T02:29:00Z","paths":["/sources/volumes/web_data"],"hostname":"shop",
          "tags":["datamancy.kind=Volume","datamancy.project=shop","datamancy.target=web_data"]}]
        """;

    [Fact]
    public async Task Pulls_the_tool_image_lists_every_host_and_leaves_no_tool_container()
    {
        var engine = new FakeEngine().Pullable(Image);
        engine.OnExec("restic snapshots --json", ExecReply.Ok(Snapshots));
        var recovery = new StackRecovery(engine, new RecoveryRequest("rest:http://backup:8000/", Password, "/srv/new", Image, null, null, null, TimeSpan.FromSeconds(30)),
            new RecordingReporter());

        var set = await recovery.ChooseAsync(CancellationToken.None);

        Assert.Equal(("shop", "c1", "v1"), (set.Project, set.StackFolder.Id, set.Targets["web_data"].Id));
        Assert.Contains(Image, engine.CallsOf("pull"));
        var list = Assert.Single(engine.Execs);
        Assert.Equal("restic snapshots --json", list.CommandLine);
        Assert.Equal("rest:http://backup:8000/", list.Request.Environment!["RESTIC_REPOSITORY"]);
        Assert.DoesNotContain(engine.Calls, c => c.Contains(Password, StringComparison.Ordinal));
        Assert.Empty(engine.Containers);
    }
}
