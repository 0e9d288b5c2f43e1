using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Swarm;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Swarm;

public sealed class SwarmConfigTests
{
    private const string Compose = """
        name: cfg
        services:
          web:
            image: reg.local/web:1
            volumes:
              - ./web/site.conf:/etc/web/site.conf:ro
              - ./web/pages:/srv/pages:ro
              - ./web/state:/var/state
              - /var/run/docker.sock:/var/run/docker.sock:ro
        """;

    private static TestStack Folder(string conf = "listen 80;\n")
    {
        var folder = new TestStack(Compose);
        Directory.CreateDirectory(Path.Combine(folder.Directory, "web", "pages", "sub"));
        Directory.CreateDirectory(Path.Combine(folder.Directory, "web", "state"));
        File.WriteAllText(Path.Combine(folder.Directory, "web", "site.conf"), conf);
        File.WriteAllText(Path.Combine(folder.Directory, "web", "pages", "index.html"), "<p>hi</p>");
        File.WriteAllText(Path.Combine(folder.Directory, "web", "pages", "sub", "a.txt"), "a");
        return folder;
    }

    [Fact]
    public void Read_only_files_and_folders_of_the_stack_become_configs_other_binds_stay_mounts()
    {
        using var folder = Folder();
        var stack = folder.Load();
        var spec = ServiceSpecBuilder.Build(stack, stack.FindService("web")!, "i@sha256:1", SwarmSettings.From(stack, _ => false), _ => null);
        var container = spec.TaskTemplate!.ContainerSpec!;

        Assert.Equal(["/etc/web/site.conf", "/srv/pages/index.html", "/srv/pages/sub/a.txt"], container.Configs!.Select(c => c.File!.Name));
        Assert.All(container.Configs!, c => Assert.Matches("^cfg_cfg_[0-9a-f]{16}$", c.ConfigName));
        Assert.Equal(["/var/state", "/var/run/docker.sock"], container.Mounts!.Select(m => m.Target));
    }

    [Fact]
    public async Task Configs_are_created_before_the_services_and_a_changed_file_makes_a_new_one_and_drops_the_old()
    {
        using var folder = Folder();
        var engine = new FakeEngine { IsSwarmManager = true }.AddNode("n1", "manager").Pullable("reg.local/web:1", "sha256:w");
        async Task<IReadOnlyList<ServiceResult>> Deploy()
        {
            var stack = folder.Load();
            var plan = await SwarmPlanner.PlanAsync(engine, stack, stack.Services, NullReporter.Instance, _ => null, CancellationToken.None);
            return await new SwarmDeployer(engine, NullReporter.Instance).DeployAsync(plan, plan.Services, TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        await Deploy();
        Assert.Equal(3, engine.Configs.Count);
        Assert.True(engine.Calls.ToList().FindIndex(c => c.StartsWith("create-config", StringComparison.Ordinal)) < engine.Calls.ToList().FindIndex(c => c.StartsWith("create-service", StringComparison.Ordinal)));
        Assert.All(engine.Services.Single().Spec!.TaskTemplate!.ContainerSpec!.Configs!, c => Assert.False(string.IsNullOrEmpty(c.ConfigID)));

        File.WriteAllText(Path.Combine(folder.Directory, "web", "site.conf"), "listen 8080;\n");
        var second = await Deploy();

        Assert.Equal(ServiceAction.Update, Assert.Single(second).Action);
        Assert.Equal(3, engine.Configs.Count);
        Assert.Contains("listen 8080;\n", engine.Configs.Values.Select(v => System.Text.Encoding.UTF8.GetString(v)));
        Assert.DoesNotContain("listen 80;\n", engine.Configs.Values.Select(v => System.Text.Encoding.UTF8.GetString(v)));
    }

    [Fact]
    public void A_file_larger_than_a_swarm_config_is_refused_naming_it()
    {
        using var folder = Folder(new string('x', SwarmConfigFiles.MaxBytes + 1));
        var stack = folder.Load();

        var error = Assert.Throws<DatamancyException>(() => SwarmConfigFiles.For(stack, stack.FindService("web")!));

        Assert.Equal(ErrorIds.SwarmConfigTooLarge, error.ErrorId);
        Assert.Contains("site.conf", error.Message);
        Assert.Contains("'web'", error.Message);
    }
}
