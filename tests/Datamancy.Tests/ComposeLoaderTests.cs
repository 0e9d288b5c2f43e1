using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Tests;

public sealed class ComposeLoaderTests
{
    [Fact]
    public void Anchors_merge_keys_and_extension_fields_resolve()
    {
        using var stack = new TestStack("""
            x-hardened: &hardened
              cap_drop: [ALL]
              security_opt: ["no-new-privileges:true"]
              user: "1000:1000"
            services:
              web:
                <<: *hardened
                image: busybox:1.36
                user: "2000:2000"
                x-datamancy-exceptions:
                  root-user: "needs it"
                x-datamancy-checks:
                  - {path: /health, status: 204, contains: ok}
            """);
        var web = Assert.Single(stack.Load().Services);
        Assert.Equal(["ALL"], web.CapDrop);
        Assert.Equal(["no-new-privileges:true"], web.SecurityOpt);
        Assert.Equal("2000:2000", web.User);
        Assert.Equal("needs it", web.Exceptions["root-user"]);
        var check = Assert.Single(web.Checks);
        Assert.Equal(("/health", 204, "ok"), (check.Path, check.Status, check.Contains));
        Assert.True(web.Extensions.ContainsKey("x-datamancy-checks"));
    }

    [Fact]
    public void Short_and_long_forms_expand_to_the_same_model()
    {
        using var stack = new TestStack("""
            services:
              db:
                image: postgres:16
                profiles: [data]
              app:
                image: app:1
                environment:
                  - A=1
                  - B
                ports:
                  - "80"
                  - "8080:80"
                  - "127.0.0.1:5432:5432"
                  - "127.0.0.1::8080"
                  - "[::1]:9000:9000/udp"
                  - target: 443
                    published: "8443"
                    host_ip: 127.0.0.1
                volumes:
                  - data:/var/lib/data
                  - ./conf:/etc/app:ro
                  - type: bind
                    source: /var/run/docker.sock
                    target: /var/run/docker.sock
                    read_only: true
                networks:
                  front:
                    aliases: [www]
                depends_on:
                  db:
                    condition: service_healthy
                healthcheck:
                  test: wget -q -O- http://localhost/
                  interval: 1m30s
                  timeout: 500ms
                  retries: 3
                stop_grace_period: 20s
                shm_size: 64m
                ulimits:
                  nofile: {soft: 1024, hard: 2048}
                  nproc: 512
              other:
                image: other:1
                environment: {X: "1", Y: null}
                networks: [front]
                depends_on: [app]
            networks:
              front: {}
              back: {internal: true}
            volumes:
              data: {}
            """);
        var model = stack.Load(new Dictionary<string, string> { ["COMPOSE_PROFILES"] = "" });
        var app = model.FindService("app")!;
        Assert.Equal("1", app.Environment["A"]);
        Assert.Null(app.Environment["B"]);
        Assert.Equal(
            ["->80/tcp", "8080->80/tcp", "127.0.0.1:5432->5432/tcp", "127.0.0.1:->8080/tcp", "::1:9000->9000/udp", "127.0.0.1:8443->443/tcp"],
            app.Ports.Select(p => p.ToString()));
        Assert.Equal(("volume", "data", false), (app.Volumes[0].Type, app.Volumes[0].Source, app.Volumes[0].ReadOnly));
        Assert.Equal(("bind", Path.Combine(stack.Directory, "conf"), true), (app.Volumes[1].Type, app.Volumes[1].Source, app.Volumes[1].ReadOnly));
        Assert.True(app.Volumes[2].ReadOnly);
        Assert.Equal(["www"], app.Networks.Single().Aliases);
        Assert.Equal(new ServiceDependency("db", ServiceDependency.Healthy, true, false, app.DependsOn[0].Mark), app.DependsOn[0]);
        Assert.Equal(["CMD-SHELL", "wget -q -O- http://localhost/"], app.Healthcheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(90), app.Healthcheck.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), app.Healthcheck.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(20), app.StopGracePeriod);
        Assert.Equal(64L << 20, app.ShmSize);
        Assert.Equal(new UlimitDefinition(1024, 2048), app.Ulimits["nofile"]);
        Assert.Equal(new UlimitDefinition(512, 512), app.Ulimits["nproc"]);
        var other = model.FindService("other")!;
        Assert.Null(other.Environment["Y"]);
        Assert.Equal(ServiceDependency.Started, other.DependsOn.Single().Condition);
        Assert.True(model.Networks.Single(n => n.Key == "back").Internal);
        Assert.Equal(stack.Directory.Split('/')[^1].Replace("-", "-"), model.ProjectName);
        Assert.Equal($"{model.ProjectName}_front", model.Networks.Single(n => n.Key == "front").Name);
    }

    [Fact]
    public void Process_environment_beats_the_env_file()
    {
        using var stack = new TestStack("""
            services:
              app:
                image: "app:${TAG:?TAG is required}"
                environment:
                  FROM_FILE: ${ONLY_IN_FILE}
            """, env: "TAG=from-file\nONLY_IN_FILE=file\nCOMPOSE_PROJECT_NAME=Proj_1\n");
        var model = stack.Load(new Dictionary<string, string> { ["TAG"] = "from-env" });
        var app = model.Services.Single();
        Assert.Equal("app:from-env", app.Image);
        Assert.Equal("file", app.Environment["FROM_FILE"]);
        Assert.Equal("proj_1", model.ProjectName);
    }

    [Fact]
    public void Yaml_syntax_error_names_file_line_and_column()
    {
        var error = TestStack.LoadFails("services:\n  app:\n    image: [unclosed\n");
        Assert.Equal(ErrorIds.YamlSyntax, error.ErrorId);
        Assert.Matches(@"docker-compose\.yml:\d+:\d+: YAML syntax error", error.Message);
    }

    [Fact]
    public void Duplicate_key_is_a_syntax_error()
    {
        var error = TestStack.LoadFails("services:\n  app:\n    image: a\n    image: b\n");
        Assert.Equal(ErrorIds.YamlSyntax, error.ErrorId);
        Assert.Contains("docker-compose.yml:4:5", error.Message);
        Assert.Contains("duplicate key", error.Message);
    }

    [Fact]
    public void Unknown_key_names_the_key_the_service_and_the_place()
    {
        var error = TestStack.LoadFails("services:\n  app:\n    image: a\n    imagee: b\n");
        Assert.Equal(ErrorIds.UnknownKey, error.ErrorId);
        Assert.Contains("docker-compose.yml:4:5", error.Message);
        Assert.Contains("'imagee'", error.Message);
        Assert.Contains("service 'app'", error.Message);
        Assert.Equal("app", error.Target);
    }

    [Fact]
    public void Unsupported_key_is_refused_not_ignored()
    {
        var error = TestStack.LoadFails("services:\n  app:\n    image: a\n    build: .\n");
        Assert.Equal(ErrorIds.UnsupportedKey, error.ErrorId);
        Assert.Contains("docker-compose.yml:4:5", error.Message);
        Assert.Contains("'build'", error.Message);
        Assert.Contains("service 'app'", error.Message);
    }

    [Fact]
    public void Unknown_top_level_and_nested_keys_are_refused()
    {
        Assert.Equal(ErrorIds.UnsupportedKey, TestStack.LoadFails("secrets: {}\nservices:\n  app: {image: a}\n").ErrorId);
        var nested = TestStack.LoadFails("services:\n  app:\n    image: a\n    healthcheck:\n      test: [CMD, true]\n      intervall: 5s\n");
        Assert.Equal(ErrorIds.UnknownKey, nested.ErrorId);
        Assert.Contains("docker-compose.yml:6:7", nested.Message);
        Assert.Contains("services.app.healthcheck", nested.Message);
    }

    [Fact]
    public void Dependency_cycle_names_the_cycle()
    {
        var error = TestStack.LoadFails("""
            services:
              a: {image: x, depends_on: [b]}
              b: {image: x, depends_on: {c: {condition: service_healthy}}}
              c: {image: x, depends_on: [a]}
            """);
        Assert.Equal(ErrorIds.DependencyCycle, error.ErrorId);
        Assert.Contains("a -> b -> c -> a", error.Message);
        Assert.Contains("docker-compose.yml:2:", error.Message);
    }

    [Fact]
    public void Self_dependency_is_a_cycle()
    {
        var error = TestStack.LoadFails("services:\n  a: {image: x, depends_on: [a]}\n");
        Assert.Equal(ErrorIds.DependencyCycle, error.ErrorId);
        Assert.Contains("a -> a", error.Message);
    }

    [Fact]
    public void Unset_required_variable_is_named()
    {
        var error = TestStack.LoadFails("services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?run New-DatamancyStack}\n");
        Assert.Equal(ErrorIds.VariableRequired, error.ErrorId);
        Assert.Contains("docker-compose.yml:5:26", error.Message);
        Assert.Contains("DB_PASSWORD", error.Message);
        Assert.Contains("New-DatamancyStack -Path", error.Message);
    }

    [Theory]
    [InlineData("services:\n  a: {image: x, depends_on: [ghost]}\n", "ghost")]
    [InlineData("services:\n  a: {image: x, networks: [ghost]}\n", "ghost")]
    [InlineData("services:\n  a: {image: x, volumes: [\"ghost:/data\"]}\n", "ghost")]
    public void Dangling_references_are_named(string compose, string name)
    {
        var error = TestStack.LoadFails(compose);
        Assert.Equal(ErrorIds.UndefinedDependency, error.ErrorId);
        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains("docker-compose.yml:2:", error.Message);
    }

    [Theory]
    [InlineData("services:\n  a: {image: x, ports: [\"80:http\"]}\n", "services.a.ports[0]")]
    [InlineData("services:\n  a: {image: x, privileged: maybe}\n", "services.a.privileged")]
    [InlineData("services:\n  a: {image: x, restart: sometimes}\n", "services.a.restart")]
    [InlineData("services:\n  a: {image: x, stop_grace_period: soon}\n", "services.a.stop_grace_period")]
    [InlineData("services:\n  a: {image: x, depends_on: {b: {condition: service_ready}}}\n  b: {image: x}\n", "services.a.depends_on.b.condition")]
    [InlineData("services:\n  a: {image: x, x-datamancy-checks: [{path: health}]}\n", "services.a.x-datamancy-checks[0].path")]
    [InlineData("services:\n  a: {image: x, healthcheck: {test: [RUN, x]}}\n", "services.a.healthcheck.test")]
    [InlineData("services:\n  a: {profiles: [p]}\n", "'a' has no image")]
    public void Wrong_values_name_the_key_path(string compose, string path)
    {
        var error = TestStack.LoadFails(compose);
        Assert.Equal(ErrorIds.InvalidValue, error.ErrorId);
        Assert.Contains(path, error.Message);
        Assert.Matches(@"docker-compose\.yml:\d+:\d+:", error.Message);
    }

    [Fact]
    public void Unknown_exception_kind_is_refused()
    {
        var error = TestStack.LoadFails("services:\n  a:\n    image: x\n    x-datamancy-exceptions:\n      root: because\n");
        Assert.Equal(ErrorIds.UnknownKey, error.ErrorId);
        Assert.Contains("docker-compose.yml:5:7", error.Message);
        Assert.Contains("root-user", error.Message);
    }

    [Fact]
    public void Secret_looking_values_are_not_echoed_in_errors()
    {
        var error = TestStack.LoadFails("services:\n  a: {image: x, privileged: Sup3rS3cretValue1234567}\n");
        Assert.Equal(ErrorIds.InvalidValue, error.ErrorId);
        Assert.DoesNotContain("Sup3rS3cretValue1234567", error.Message);
    }

    [Fact]
    public void Caddyfile_routes_name_hostnames_services_and_forward_auth()
    {
        using var stack = new TestStack("services:\n  grafana: {image: g}\n  authelia: {image: a}\n  mkdocs: {image: m}\n", caddyfile: """
            {
                admin off
            }
            (secure) {
                header {
                    Strict-Transport-Security "max-age=31536000; includeSubDomains"
                    -Server
                }
            }
            (auth) {
                forward_auth authelia:9091 {
                    uri /api/authz/forward-auth
                }
            }
            authelia.stack.local {
                import secure
                reverse_proxy authelia:9091
            }
            grafana.{$DOMAIN:stack.local} {
                import secure
                import auth
                handle /api/* {
                    reverse_proxy grafana:3000
                }
            }
            mkdocs.stack.local {
                root * /srv/site
                file_server
            }
            """);
        var routes = stack.Load().Routes;
        Assert.Equal(["authelia.stack.local", "grafana.stack.local", "mkdocs.stack.local"], routes.Select(r => r.Hostname));
        Assert.Equal(["authelia", "grafana", "mkdocs"], routes.Select(r => r.Service));
        Assert.Equal([false, true, false], routes.Select(r => r.ForwardAuth));
        Assert.Equal("max-age=31536000; includeSubDomains", routes[0].Headers["Strict-Transport-Security"]);
        Assert.Contains("/api/*", routes[1].Paths);
    }

    [Fact]
    public void Caddyfile_with_an_unclosed_block_is_refused_with_the_line()
    {
        using var stack = new TestStack("services:\n  a: {image: x}\n", caddyfile: "a.stack.local {\n  reverse_proxy a:80\n");
        var error = Assert.Throws<DatamancyException>(() => stack.Load());
        Assert.Equal(ErrorIds.CaddyfileSyntax, error.ErrorId);
        Assert.Contains("Caddyfile:1:1", error.Message);
    }
}
