// The engine models mark their collections nullable; these tests set them and assert on them.
#pragma warning disable CS8602

using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Docker.DotNet;

namespace Datamancy.Tests;

public sealed class EngineUnitTests : IDisposable
{
    private readonly TestStack _stack = new("""
        services:
          db:
            image: postgres:16
            environment:
              POSTGRES_PASSWORD: secret-value
              FROM_HOST:
            volumes: ["data:/var/lib/postgresql/data", "./conf:/etc/conf:ro"]
            networks: [back]
            healthcheck:
              test: ["CMD", "pg_isready"]
              interval: 2s
          web:
            image: web:1
            command: sh -c 'echo "hi there"'
            ports: ["127.0.0.1::8080", "8000-8001:9000-9001/udp"]
            networks:
              front: {aliases: [www]}
              back: {}
            depends_on:
              db: {condition: service_healthy}
            restart: on-failure:3
            ulimits: {nofile: {soft: 10, hard: 20}}
            devices: ["/dev/fuse"]
            stop_grace_period: 20s
        networks:
          front: {}
          back: {internal: true}
        volumes:
          data: {}
        """, env: "COMPOSE_PROJECT_NAME=proj\n");

    public void Dispose() => _stack.Dispose();

    [Theory]
    [InlineData("sh -c 'echo \"hi there\"'", new[] { "sh", "-c", "echo \"hi there\"" })]
    [InlineData("a  b\\ c \"d e\" ''", new[] { "a", "b c", "d e", "" })]
    [InlineData("", new string[0])]
    public void Splits_command_strings_like_a_shell(string text, string[] words) => Assert.Equal(words, ShellWords.Split(text));

    [Theory]
    [InlineData(new[] { "mariadb-dump", "--all-databases" }, "mariadb-dump --all-databases")]
    [InlineData(new[] { "sh", "-c", "echo it's $HOME" }, "sh -c 'echo it'\\''s $HOME'")]
    [InlineData(new[] { "printf", "" }, "printf ''")]
    public void Joins_words_so_that_a_shell_reads_them_back(string[] words, string line)
    {
        Assert.Equal(line, ShellWords.Join(words));
        Assert.Equal(words, ShellWords.Split(line));
    }

    [Fact]
    public void Builds_the_create_request_from_every_key()
    {
        var stack = _stack.Load();
        var web = ContainerSpecBuilder.Build(stack, stack.FindService("web")!, "sha256:img", _ => null);
        Assert.Equal("proj-web-1", web.Name);
        Assert.Equal(["sh", "-c", "echo \"hi there\""], web.Cmd);
        Assert.Equal("proj_front", web.HostConfig.NetworkMode);
        Assert.Equal(["web", "www"], web.NetworkingConfig.EndpointsConfig["proj_front"].Aliases);
        Assert.Equal("proj_back", Assert.Single(ContainerSpecBuilder.AdditionalNetworks(stack, stack.FindService("web")!)).Network);
        var binding = Assert.Single(web.HostConfig.PortBindings["8080/tcp"]);
        Assert.Equal(("127.0.0.1", ""), (binding.HostIP, binding.HostPort));
        Assert.Equal("8001", web.HostConfig.PortBindings["9001/udp"].Single().HostPort);
        Assert.Contains("9000/udp", web.ExposedPorts.Keys);
        Assert.Equal(Docker.DotNet.Models.RestartPolicyKind.OnFailure, web.HostConfig.RestartPolicy.Name);
        Assert.Equal(3, web.HostConfig.RestartPolicy.MaximumRetryCount);
        Assert.Equal((10, 20), (web.HostConfig.Ulimits.Single().Soft, web.HostConfig.Ulimits.Single().Hard));
        Assert.Equal("/dev/fuse", web.HostConfig.Devices.Single().PathInContainer);
        Assert.Equal(TimeSpan.FromSeconds(20), web.StopTimeout);
        Assert.Equal("db:service_healthy:false", web.Labels[ComposeLabels.DependsOn]);
        Assert.Equal("proj", web.Labels[ComposeLabels.Project]);
        Assert.Equal("False", web.Labels[ComposeLabels.OneOff]);
        Assert.Equal(stack.ComposeFile, web.Labels[ComposeLabels.ConfigFiles]);
        Assert.Equal("sha256:img", web.Labels[ComposeLabels.Image]);

        var db = ContainerSpecBuilder.Build(stack, stack.FindService("db")!, "sha256:img", n => n == "FROM_HOST" ? "host-value" : null);
        Assert.Contains("FROM_HOST=host-value", db.Env);
        Assert.Equal(("volume", "proj_data"), (db.HostConfig.Mounts[0].Type, db.HostConfig.Mounts[0].Source));
        Assert.Equal(("bind", true), (db.HostConfig.Mounts[1].Type, db.HostConfig.Mounts[1].ReadOnly));
        Assert.Equal(["CMD", "pg_isready"], db.Healthcheck.Test);
        Assert.Equal(TimeSpan.FromSeconds(2), db.Healthcheck.Interval);
        var withoutHost = ContainerSpecBuilder.Build(stack, stack.FindService("db")!, "sha256:img", _ => null);
        Assert.DoesNotContain(withoutHost.Env, e => e.StartsWith("FROM_HOST", StringComparison.Ordinal));
    }

    [Fact]
    public void Fingerprint_follows_the_definition_and_the_image_but_not_profiles_or_extensions()
    {
        var db = _stack.Load().FindService("db")!;
        var same = ServiceHasher.ContainerFingerprint(db, "sha256:a");
        Assert.Equal(same, ServiceHasher.ContainerFingerprint(db, "sha256:a"));
        Assert.NotEqual(same, ServiceHasher.ContainerFingerprint(db, "sha256:b"));
        var changed = new ServiceDefinition
        {
            Name = db.Name, Mark = db.Mark, Image = db.Image, Volumes = db.Volumes, Networks = db.Networks, Healthcheck = db.Healthcheck,
            Environment = new Dictionary<string, string?>(db.Environment) { ["POSTGRES_PASSWORD"] = "other" },
        };
        Assert.NotEqual(same, ServiceHasher.ContainerFingerprint(changed, "sha256:a"));
        var cosmetic = new ServiceDefinition
        {
            Name = db.Name, Mark = db.Mark, Image = db.Image, Volumes = db.Volumes, Networks = db.Networks, Healthcheck = db.Healthcheck,
            Environment = db.Environment, Profiles = ["other"], Checks = [new HttpCheckDefinition("/", 200, null, db.Mark)],
        };
        Assert.Equal(same, ServiceHasher.ContainerFingerprint(cosmetic, "sha256:a"));
        Assert.DoesNotContain("secret-value", same);
    }

    [Fact]
    public void Plans_create_recreate_start_and_unchanged()
    {
        var db = _stack.Load().FindService("db")!;
        var fingerprint = ServiceHasher.ContainerFingerprint(db, "sha256:a");
        LiveContainer Live(string state, string status, string? label = null, string image = "sha256:a") =>
            new("id0123456789ab", "proj-db-1", "db", Enum.Parse<ContainerState>(state, true), HealthStatus.Healthy, status, image, DateTime.UtcNow, [],
                new Dictionary<string, string> { [ComposeLabels.Fingerprint] = label ?? fingerprint });

        Assert.Equal(ServiceAction.Create, Planner.Decide(db, "sha256:a", null, false).Action);
        Assert.Equal(ServiceAction.Unchanged, Planner.Decide(db, "sha256:a", Live("running", "Up 1 minute (healthy)"), false).Action);
        Assert.Equal(ServiceAction.Start, Planner.Decide(db, "sha256:a", Live("exited", "Exited (0) 1 minute ago"), false).Action);
        var recreate = Planner.Decide(db, "sha256:a", Live("running", "Up", label: "sha256:old"), false);
        Assert.Equal((ServiceAction.Recreate, "the definition changed"), (recreate.Action, recreate.Reason));
        Assert.Equal("the image changed", Planner.Decide(db, "sha256:b", Live("running", "Up"), false).Reason);
        Assert.Equal(ServiceAction.Recreate, Planner.Decide(db, "sha256:a", Live("running", "Up"), true).Action);
    }

    [Fact]
    public void Engine_candidates_follow_the_documented_order()
    {
        Assert.Equal(["tcp://10.0.0.1:2375/"], DockerConnector.Candidates("tcp://10.0.0.1:2375", _ => "unix:///ignored.sock").Select(u => u.ToString()));
        Assert.Equal(["unix:///env.sock"], DockerConnector.Candidates(null, n => n == "DOCKER_HOST" ? "unix:///env.sock" : null).Select(u => u.ToString()));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(["unix:///run/user/1000/docker.sock", "unix:///var/run/docker.sock"],
                DockerConnector.Candidates(null, n => n == "XDG_RUNTIME_DIR" ? "/run/user/1000" : null).Select(u => u.ToString()));
        }

        var error = Assert.Throws<DatamancyException>(() => DockerConnector.Candidates("not a host", _ => null));
        Assert.Equal(ErrorIds.EngineUnreachable, error.ErrorId);
    }

    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.44", "1.44")]
    [InlineData("1.99", "1.52")]
    [InlineData(null, "1.52")]
    public void Negotiates_the_lower_api_version(string? daemon, string expected) =>
        Assert.Equal(Version.Parse(expected), DockerConnector.Negotiate(daemon));

    [Fact]
    public async Task Unreachable_engine_names_the_endpoint_tried()
    {
        var error = await Assert.ThrowsAsync<DatamancyException>(() => DockerConnector.ConnectAsync("unix:///nonexistent-runtime/docker.sock", _ => null, CancellationToken.None));
        Assert.Equal(ErrorIds.EngineUnreachable, error.ErrorId);
        Assert.Contains("unix:///nonexistent-runtime/docker.sock (no such socket)", error.Message);
        var refused = await Assert.ThrowsAsync<DatamancyException>(() => DockerConnector.ConnectAsync("tcp://127.0.0.1:1", _ => null, CancellationToken.None));
        Assert.Contains("tcp://127.0.0.1:1", refused.Message);
    }

    [Fact]
    public void Parses_timestamped_log_lines()
    {
        var entry = LogReader.Parse("web", OutputTarget.StandardError, "2026-11-26T04:10:00.123456789Z something broke\r");
        Assert.Equal(("web", "stderr", "something broke"), (entry.Service, entry.Stream, entry.Message));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 4, 10, 0, TimeSpan.Zero).AddMilliseconds(123), entry.Timestamp.AddTicks(-(entry.Timestamp.Ticks % TimeSpan.TicksPerMillisecond)));
        Assert.Equal("no stamp here", LogReader.Parse("web", OutputTarget.StandardOutput, "no stamp here").Message);
    }

    [Fact]
    public void Log_lines_and_characters_split_across_frames_are_joined()
    {
        var lines = new OutputLines();
        var text = System.Text.Encoding.UTF8.GetBytes("t1 caf\u00e9 ok\nt2 na\u00efve");
        var split = Array.IndexOf(text, (byte)0xC3) + 1;   // inside the two bytes of the first é

        Assert.Empty(lines.Add(text.AsSpan(0, split)));
        Assert.Equal(["t1 caf\u00e9 ok"], lines.Add(text.AsSpan(split)));
        Assert.Equal("t2 na\u00efve", lines.Rest());
    }

    [Theory]
    [InlineData("Up 2 minutes (healthy)", "healthy")]
    [InlineData("Up 2 seconds (health: starting)", "starting")]
    [InlineData("Up 5 minutes (unhealthy)", "unhealthy")]
    [InlineData("Up 5 minutes", "none")]
    public void Reads_health_from_the_list_status(string status, string health) =>
        Assert.Equal(health, LiveContainer.HealthOf(status, null).ToString().ToLowerInvariant());
}
