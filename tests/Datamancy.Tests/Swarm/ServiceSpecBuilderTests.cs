using Datamancy.Stack.Model;
using Datamancy.Swarm;

namespace Datamancy.Tests.Swarm;

public sealed class ServiceSpecBuilderTests
{
    private const string Compose = """
        name: sw
        x-datamancy:
          endpoint-mode: dnsrr
        services:
          db:
            image: reg.local/db:1
            user: "70:70"
            read_only: true
            init: true
            cap_drop: [ALL]
            cap_add: [CHOWN]
            security_opt: ["no-new-privileges:true"]
            tmpfs: ["/run:size=64m,mode=1777", /tmp]
            ulimits: {nofile: {soft: 1024, hard: 2048}}
            sysctls: {net.core.somaxconn: "512"}
            stop_grace_period: 20s
            logging: {driver: json-file, options: {max-size: 10m}}
            labels: {team: data}
            environment: {POSTGRES_DB: app}
            command: ["postgres", "-c", "fsync=on"]
            entrypoint: ["/entry.sh"]
            healthcheck: {test: [CMD, pg_isready], interval: 2s, timeout: 3s, retries: 4, start_period: 10s}
            volumes: [dbdata:/var/lib/postgresql/data]
            networks: [backend]
            mem_limit: 256m
            extra_hosts: ["gateway:10.0.0.1"]
          web:
            image: reg.local/web:1
            ports: ["127.0.0.1:8080:80", "8443:443"]
            networks:
              frontend: {aliases: [www]}
              backend: {}
            depends_on: {db: {condition: service_healthy}}
          migrate:
            image: reg.local/db:1
            restart: "no"
            networks: [backend]
        networks:
          frontend: {}
          backend: {internal: true}
        volumes:
          dbdata: {}
        """;

    private static (StackDefinition Stack, SwarmSettings Settings) Load(TestStack folder)
    {
        var stack = folder.Load();
        return (stack, SwarmSettings.From(stack, _ => true));
    }

    [Fact]
    public void Maps_every_container_key_onto_the_container_spec()
    {
        using var folder = new TestStack(Compose);
        var (stack, settings) = Load(folder);
        var spec = ServiceSpecBuilder.Build(stack, stack.FindService("db")!, "reg.local/db:1@sha256:abc", settings, _ => null);
        var container = spec.TaskTemplate!.ContainerSpec!;

        Assert.Equal("sw_db", spec.Name);
        Assert.Equal("reg.local/db:1@sha256:abc", container.Image);
        Assert.Equal(["/entry.sh"], container.Command);
        Assert.Equal(["postgres", "-c", "fsync=on"], container.Args);
        Assert.Contains("POSTGRES_DB=app", container.Env!);
        Assert.Equal("70:70", container.User);
        Assert.True(container.ReadOnly);
        Assert.True(container.Init);
        Assert.True(container.Privileges!.NoNewPrivileges);
        Assert.Equal(["ALL"], container.CapabilityDrop);
        Assert.Equal(["CHOWN"], container.CapabilityAdd);
        Assert.Equal(TimeSpan.FromSeconds(20), container.StopGracePeriod);
        Assert.Equal("512", container.Sysctls!["net.core.somaxconn"]);
        Assert.Equal(("nofile", 1024L, 2048L), (container.Ulimits![0].Name, container.Ulimits[0].Soft, container.Ulimits[0].Hard));
        Assert.Equal(["CMD", "pg_isready"], container.Healthcheck!.Test);
        Assert.Equal(4, container.Healthcheck.Retries);
        Assert.Equal("data", container.Labels!["team"]);
        Assert.Equal("sw", container.Labels[SwarmLabels.Namespace]);
        Assert.Equal(["10.0.0.1 gateway"], container.Hosts);
        Assert.Equal("json-file", spec.TaskTemplate.LogDriver!.Name);
        Assert.Equal("10m", spec.TaskTemplate.LogDriver.Options!["max-size"]);
        Assert.Equal(256L << 20, spec.TaskTemplate.Resources!.Limits!.MemoryBytes);
    }

    [Fact]
    public void Named_volumes_are_mounts_and_pin_the_service_to_its_labelled_node()
    {
        using var folder = new TestStack(Compose);
        var (stack, settings) = Load(folder);
        var spec = ServiceSpecBuilder.Build(stack, stack.FindService("db")!, "i@sha256:1", settings, _ => null);
        var mounts = spec.TaskTemplate!.ContainerSpec!.Mounts!;

        var data = Assert.Single(mounts, m => m.Type == "volume");
        Assert.Equal(("sw_dbdata", "/var/lib/postgresql/data"), (data.Source, data.Target));
        Assert.Equal("sw", data.VolumeOptions!.Labels!["com.docker.stack.namespace"]);
        var run = Assert.Single(mounts, m => m.Target == "/run");
        Assert.Equal((64L << 20, 1023u), (run.TmpfsOptions!.SizeBytes!.Value, run.TmpfsOptions.Mode!.Value));
        Assert.Contains(mounts, m => m is { Type: "tmpfs", Target: "/tmp", TmpfsOptions: null });
        Assert.Equal(["node.labels.datamancy.db==true"], spec.TaskTemplate.Placement!.Constraints);
    }

    [Fact]
    public void Stateless_services_are_not_pinned_and_publish_in_host_mode_on_their_networks()
    {
        using var folder = new TestStack(Compose);
        var (stack, settings) = Load(folder);
        var spec = ServiceSpecBuilder.Build(stack, stack.FindService("web")!, "i@sha256:1", settings, _ => null);

        Assert.Null(spec.TaskTemplate!.Placement);
        Assert.Equal("dnsrr", spec.EndpointSpec!.Mode);
        Assert.All(spec.EndpointSpec.Ports!, p => Assert.Equal("host", p.PublishMode));
        Assert.Equal([(8080u, 80u), (8443u, 443u)], spec.EndpointSpec.Ports!.Select(p => (p.PublishedPort!.Value, p.TargetPort!.Value)));
        Assert.Equal(["sw_frontend", "sw_backend"], spec.TaskTemplate.Networks!.Select(n => n.Target));
        Assert.Equal(["web", "www"], spec.TaskTemplate.Networks![0].Aliases);
        Assert.Equal("any", spec.TaskTemplate.RestartPolicy!.Condition);
    }

    [Fact]
    public void Updates_roll_back_and_are_watched_longer_than_the_healthcheck_takes_to_fail()
    {
        using var folder = new TestStack(Compose);
        var (stack, settings) = Load(folder);
        var db = stack.FindService("db")!;
        var spec = ServiceSpecBuilder.Build(stack, db, "i@sha256:1", settings, _ => null);

        Assert.Equal("rollback", spec.UpdateConfig!.FailureAction);
        Assert.Equal(1UL, spec.UpdateConfig.Parallelism);
        var health = db.Healthcheck!;
        Assert.True(spec.UpdateConfig.Monitor > health.StartPeriod + (health.Interval * health.Retries));
        Assert.Equal("pause", spec.RollbackConfig!.FailureAction);
    }

    [Fact]
    public void A_job_runs_once_and_is_not_restarted()
    {
        using var folder = new TestStack(Compose);
        var (stack, settings) = Load(folder);
        var spec = ServiceSpecBuilder.Build(stack, stack.FindService("migrate")!, "i@sha256:1", settings, _ => null);

        Assert.Equal(1UL, spec.Mode!.ReplicatedJob!.TotalCompletions);
        Assert.Equal("none", spec.TaskTemplate!.RestartPolicy!.Condition);
        Assert.Null(spec.UpdateConfig);
    }

    [Fact]
    public void The_spec_hash_changes_with_the_spec_and_only_then()
    {
        using var folder = new TestStack(Compose);
        var (stack, settings) = Load(folder);
        var db = stack.FindService("db")!;
        var first = ServiceSpecBuilder.Build(stack, db, "i@sha256:1", settings, _ => null).Labels![SwarmLabels.SpecHash];
        var again = ServiceSpecBuilder.Build(stack, db, "i@sha256:1", settings, _ => null).Labels![SwarmLabels.SpecHash];
        var moved = ServiceSpecBuilder.Build(stack, db, "i@sha256:2", settings, _ => null).Labels![SwarmLabels.SpecHash];

        Assert.Equal(first, again);
        Assert.NotEqual(first, moved);
        Assert.Matches("^[0-9a-f]{64}$", first);
    }

    [Theory]
    [InlineData(false, "dnsrr")]
    [InlineData(true, "vip")]
    public void Without_a_setting_the_endpoint_mode_follows_IPVS(bool ipvs, string mode)
    {
        using var folder = new TestStack("services:\n  a: {image: x}\n");
        Assert.Equal(mode, SwarmSettings.From(folder.Load(), path => ipvs && path == "/proc/net/ip_vs").EndpointMode);
    }

    [Fact]
    public void The_stack_sets_its_default_orchestrator()
    {
        using var folder = new TestStack("x-datamancy: {orchestrator: swarm, endpoint-mode: vip}\nservices:\n  a: {image: x}\n");
        var settings = SwarmSettings.From(folder.Load(), _ => false);
        Assert.Equal((Orchestrator.Swarm, "vip"), (settings.Orchestrator, settings.EndpointMode));
    }

    [Fact]
    public void A_wrong_setting_is_refused_with_where_it_is()
    {
        using var folder = new TestStack("x-datamancy: {orchestrator: kubernetes}\nservices:\n  a: {image: x}\n");
        var error = Assert.Throws<Errors.DatamancyException>(() => SwarmSettings.From(folder.Load()));
        Assert.Equal(Errors.ErrorIds.InvalidStackSetting, error.ErrorId);
        Assert.Contains("kubernetes", error.Message);
    }
}
