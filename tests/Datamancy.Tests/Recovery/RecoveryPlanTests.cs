using Datamancy.Backup;
using Datamancy.Errors;
using Datamancy.Recovery;
using Datamancy.Stack.Model;
using Xunit;

namespace Datamancy.Tests.Recovery;

/// <summary>Which snapshots a whole-stack restore takes, and the order of its steps.</summary>
public sealed class RecoveryPlanTests
{
    private const string Compose = """
        services:
          web:
            image: app:1
            profiles: [apps]
            depends_on: [api]
            volumes: [web_data:/data]
          api:
            image: app:1
            profiles: [apps]
            depends_on: [db, cache]
          db:
            image: postgres:16
            profiles: [datastores]
            volumes: [db_data:/var/lib/postgresql/data]
          cache:
            image: redis:7
            profiles: [datastores]
          tool:
            image: app:1
            profiles: [tools]
            volumes: [tool_data:/t]
        volumes:
          web_data: {}
          db_data: {}
          tool_data: {}
        """;

    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 2, 30, 0, TimeSpan.Zero);

    private static SnapshotRecord Snapshot(string id, string project, string target, DateTimeOffset time) =>
        new(id, "/sources/" + target, time, new Dictionary<string, string> { [BackupTags.Project] = project, [BackupTags.Target] = target, [BackupTags.Kind] = "x" }, 0, 0);

    private static readonly SnapshotRecord[] Repository =
    [
        Snapshot("c1", "shop", "configs", Monday),
        Snapshot("w1", "shop", "web_data", Monday),
        Snapshot("d1", "shop", "db", Monday),
        Snapshot("c2", "shop", "configs", Monday.AddDays(1)),
        Snapshot("w2", "shop", "web_data", Monday.AddDays(1)),
        Snapshot("d2", "shop", "db", Monday.AddDays(1)),
    ];

    [Fact]
    public void Latest_takes_the_newest_snapshot_of_each_target_and_a_time_the_newest_at_or_before_it()
    {
        var latest = RecoverySet.Choose(Repository, null, null, "repo");
        Assert.Equal(("shop", "c2", "w2", "d2"), (latest.Project, latest.StackFolder.Id, latest.Targets["web_data"].Id, latest.Targets["db"].Id));

        var monday = RecoverySet.Choose(Repository, null, Monday.AddHours(1), "repo");
        Assert.Equal(("c1", "w1", "d1"), (monday.StackFolder.Id, monday.Targets["web_data"].Id, monday.Targets["db"].Id));

        var before = Assert.Throws<DatamancyException>(() => RecoverySet.Choose(Repository, null, Monday.AddDays(-1), "repo"));
        Assert.Equal(ErrorIds.BackupSnapshotNotFound, before.ErrorId);
    }

    [Fact]
    public void Several_projects_need_a_name_and_a_repository_without_a_stack_folder_is_refused()
    {
        var two = Repository.Append(Snapshot("o1", "other", "configs", Monday)).ToList();
        var ambiguous = Assert.Throws<DatamancyException>(() => RecoverySet.Choose(two, null, null, "repo"));
        Assert.Equal(ErrorIds.RecoveryProjectAmbiguous, ambiguous.ErrorId);
        Assert.Contains("other, shop", ambiguous.Message);
        Assert.Equal("o1", RecoverySet.Choose(two, "other", null, "repo").StackFolder.Id);

        var none = Assert.Throws<DatamancyException>(() => RecoverySet.Choose(Repository.Where(s => s.Id != "c1" && s.Id != "c2").ToList(), null, null, "repo"));
        Assert.Equal(ErrorIds.RecoveryNoStackFolder, none.ErrorId);
    }

    [Fact]
    public void The_plan_restores_volumes_then_databases_alone_then_the_rest_in_depends_on_order()
    {
        using var folder = new TestStack(Compose);
        var stack = folder.Load(new Dictionary<string, string> { ["COMPOSE_PROJECT_NAME"] = "shop" });
        var plan = RecoveryPlan.Create(stack, RecoverySet.Choose(Repository, null, null, "repo"), null, _ => { });

        // The profiles backed up (apps, datastores), not tools: its volume was never backed up.
        Assert.Equal(["web", "api", "db", "cache"], plan.Services.Select(s => s.Name));
        Assert.Equal(["web_data"], plan.Volumes.Select(v => v.Target.Name));
        Assert.Equal(["db"], plan.Databases.Select(d => d.Target.Name));
        Assert.Equal(["db"], plan.DatabaseServices.Select(s => s.Name));
        Assert.Equal(["cache", "api", "web"], plan.Others.Select(s => s.Name));

        var steps = plan.Steps("/srv/new", "unix:///var/run/docker.sock");
        Assert.StartsWith("Restore the stack folder of 'shop' from snapshot c2", steps[0]);
        Assert.Contains("shop_db_data", steps[1]);
        Assert.StartsWith("Fill volume shop_web_data from snapshot w2", steps[2]);
        Assert.Equal("Start the databases alone: db", steps[3]);
        Assert.StartsWith("Load the dump of db from snapshot d2", steps[4]);
        Assert.Equal("Start the other services in depends_on order: cache, api, web", steps[5]);
    }

    [Fact]
    public void A_drill_copy_s_caddy_publishes_443_on_a_loopback_port_the_engine_picks_and_nothing_else()
    {
        using var folder = new TestStack("""
            services:
              caddy:
                image: caddy:2.8.4
                ports: ["80:80", "443:443"]
              web:
                image: app:1
                ports: ["8080:80"]
            """);
        var copy = RecoveryIsolation.Isolate(folder.Load(new Dictionary<string, string> { ["COMPOSE_PROJECT_NAME"] = "shop-drill-abc123" }));

        Assert.Equal([new PortMapping("127.0.0.1", null, "443", "tcp")], copy.FindService("caddy")!.Ports);
        Assert.Empty(copy.FindService("web")!.Ports);
        // The engine publishes nothing of a container on internal networks only: Caddy alone joins the drill's own edge network.
        Assert.Contains(copy.FindService("caddy")!.Networks, n => n.Name == RecoveryIsolation.EdgeNetwork);
        Assert.DoesNotContain(copy.FindService("web")!.Networks, n => n.Name == RecoveryIsolation.EdgeNetwork);
        Assert.Equal([false], copy.Networks.Where(n => n.Key == RecoveryIsolation.EdgeNetwork).Select(n => n.Internal));
        Assert.All(copy.Networks.Where(n => n.Key != RecoveryIsolation.EdgeNetwork), n => Assert.True(n.Internal));
    }

    [Fact]
    public void A_drill_copy_has_its_own_project_no_published_port_and_internal_networks()
    {
        using var folder = new TestStack(Compose.Replace("    image: app:1\n    profiles: [apps]\n    depends_on: [api]", "    image: app:1\n    profiles: [apps]\n    depends_on: [api]\n    ports: [\"127.0.0.1:8080:80\"]"));
        var project = RecoveryIsolation.DrillProject("shop");
        var copy = RecoveryIsolation.Isolate(folder.Load(new Dictionary<string, string> { ["COMPOSE_PROJECT_NAME"] = project }));

        Assert.StartsWith("shop-drill-", project);
        Assert.All(copy.Services, s => Assert.Empty(s.Ports));
        Assert.All(copy.Networks, n => Assert.True(n.Internal));
        Assert.DoesNotContain(copy.Networks, n => n.Key == RecoveryIsolation.EdgeNetwork);
        Assert.Equal($"{project}_web_data", copy.Volumes.Single(v => v.Key == "web_data").Name);
    }
}
