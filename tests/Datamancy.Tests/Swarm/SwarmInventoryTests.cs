using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Swarm;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Swarm;

public sealed class SwarmInventoryTests
{
    private const string Compose = "name: inv\nservices:\n  db:\n    image: reg.local/db:1\n    volumes: [data:/data]\n  app:\n    image: reg.local/app:1\nvolumes:\n  data: {}\n";

    [Fact]
    public async Task Pinning_labels_one_node_and_unlabels_the_others()
    {
        using var folder = new TestStack(Compose);
        var engine = new FakeEngine { IsSwarmManager = true }
            .AddNode("n1", "manager", new Dictionary<string, string> { ["datamancy.db"] = "true", ["zone"] = "a" }).AddNode("n2");

        var pinned = await SwarmInventory.PinAsync(engine, folder.Load(), "n2", ["db"], CancellationToken.None);

        Assert.Equal("n2", Assert.Single(pinned).Name);
        Assert.Equal(["datamancy.db=true"], pinned[0].Labels);
        var nodes = await SwarmInventory.NodesAsync(engine, folder.Load(), CancellationToken.None);
        Assert.Equal(["zone=a"], nodes.Single(n => n.Name == "n1").Labels);
    }

    [Fact]
    public async Task An_unknown_node_is_refused_with_the_nodes_there_are()
    {
        using var folder = new TestStack(Compose);
        var engine = new FakeEngine { IsSwarmManager = true }.AddNode("n1", "manager");

        var error = await Assert.ThrowsAsync<DatamancyException>(() => SwarmInventory.PinAsync(engine, folder.Load(), "n9", ["db"], CancellationToken.None));

        Assert.Equal(ErrorIds.SwarmNodeNotFound, error.ErrorId);
        Assert.Contains("n1", error.Message);
    }

    [Fact]
    public async Task Services_show_their_tasks_nodes_and_a_missing_one_as_not_deployed()
    {
        using var folder = new TestStack(Compose);
        var stack = folder.Load();
        var engine = new FakeEngine { IsSwarmManager = true }.AddNode("n1", "manager").Pullable("reg.local/db:1", "sha256:d");
        var plan = await SwarmPlanner.PlanAsync(engine, stack, [stack.FindService("db")!], NullReporter.Instance, _ => null, CancellationToken.None);
        await engine.CreateServiceAsync(plan.Services[0].Spec, null, CancellationToken.None);

        var states = (await SwarmInventory.ServicesAsync(engine, stack, stack.Services, CancellationToken.None)).ToDictionary(s => s.Name);

        Assert.Equal((1L, 1L, true, "inv_db"), (states["db"].Running, states["db"].Desired, states["db"].Available, states["db"].SwarmName));
        Assert.Equal(["n1"], states["db"].Nodes);
        Assert.Equal((0L, false, ""), (states["app"].Desired, states["app"].Available, states["app"].SwarmName));
    }
}
