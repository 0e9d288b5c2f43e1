using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Datamancy.Yaml;

namespace Datamancy.Tests;

/// <summary>
/// Export-DatamancyStack's core over tests/stacks/export: what it writes reads back into the same
/// model, holds only the selected services and what they use, and masks every secret.
/// </summary>
public sealed class StackExporterTests : IDisposable
{
    private const string DbPassword = "db-secret-Zq81mXk2";
    private const string RedisPassword = "redis-secret-Pw73nLc9";
    private const string EnvFileSecret = "env-file-secret-0123456789";
    private const string InlineToken = "inline-token-value-0123456789";

    private static readonly string Fixture = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../stacks/export"));

    private readonly string _root = Path.Combine(Path.GetTempPath(), "dm-export-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _environment = new() { ["FROM_HOST"] = "host-value" };

    public StackExporterTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "stack"));
        foreach (var file in Directory.EnumerateFiles(Fixture))
        {
            File.Copy(file, Path.Combine(StackFolder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(StackFolder, ".env"), $"DB_PASSWORD={DbPassword}\nREDIS_PASSWORD={RedisPassword}\nTAG=2.1\n");
    }

    private string StackFolder => Path.Combine(_root, "stack");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string? Environment(string name) => _environment.TryGetValue(name, out var value) ? value : null;

    private StackDefinition Load(string folder) => new StackLoader(Environment).Load(folder);

    private string Export(StackDefinition stack, string[] profiles, bool includeSecret = false) =>
        StackExporter.Export(stack, ProfileResolver.Resolve(stack, profiles), profiles,
            includeSecret ? SecretMask.None : SecretMask.For(stack, Environment), Environment);

    // The export as the compose file of a fresh folder, loaded back by Datamancy.
    private StackDefinition ReadBack(string text)
    {
        var folder = Path.Combine(_root, "readback-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "docker-compose.yml"), text);
        return Load(folder);
    }

    [Fact]
    public void With_its_secrets_the_export_reads_back_into_the_same_services()
    {
        var original = Load(StackFolder);
        var copy = ReadBack(Export(original, ["*"], includeSecret: true));
        Assert.Equal(original.Services.Select(s => s.Name), copy.Services.Select(s => s.Name));
        foreach (var service in original.Services)
        {
            var again = copy.FindService(service.Name)!;
            Assert.Equal(service.Image, again.Image);
            Assert.Equal(service.Profiles, again.Profiles);
            Assert.Equal(service.DependsOn.Select(d => (d.Service, d.Condition)), again.DependsOn.Select(d => (d.Service, d.Condition)));
            Assert.Equal(service.Ports.Select(p => p.ToString()), again.Ports.Select(p => p.ToString()));
            Assert.Equal(service.Volumes.Select(v => (v.Type, v.Source, v.Target, v.ReadOnly)), again.Volumes.Select(v => (v.Type, v.Source, v.Target, v.ReadOnly)));
            Assert.Equal(service.Networks.Select(n => (n.Name, string.Join(',', n.Aliases))), again.Networks.Select(n => (n.Name, string.Join(',', n.Aliases))));
            Assert.Equal(service.NetworkMode, again.NetworkMode);
            Assert.Equal(service.Command, again.Command);
            Assert.Equal(service.Entrypoint, again.Entrypoint);
            Assert.Equal(service.Healthcheck?.Test, again.Healthcheck?.Test);
            Assert.Equal(service.Healthcheck is null ? null : service.Healthcheck with { Test = null }, again.Healthcheck is null ? null : again.Healthcheck with { Test = null });
            Assert.Equal(service.Ulimits, again.Ulimits);
            Assert.Equal(service.Sysctls, again.Sysctls);
            Assert.Equal(service.Labels, again.Labels);
            Assert.Equal(service.Logging?.Options, again.Logging?.Options);
            Assert.Equal((service.User, service.Restart, service.ReadOnly, service.Init, service.ShmSize, service.MemLimit, service.Cpus, service.PidsLimit, service.StopGracePeriod, service.StopSignal, service.WorkingDir),
                (again.User, again.Restart, again.ReadOnly, again.Init, again.ShmSize, again.MemLimit, again.Cpus, again.PidsLimit, again.StopGracePeriod, again.StopSignal, again.WorkingDir));
            static string Lists(ServiceDefinition s) => string.Join(" | ", new[] { s.CapDrop, s.SecurityOpt, s.Tmpfs, s.ExtraHosts, s.Expose }.Select(l => string.Join(',', l)));
            Assert.Equal(Lists(service), Lists(again));
            Assert.Equal(service.Checks.Select(c => (c.Path, c.Status)), again.Checks.Select(c => (c.Path, c.Status)));
        }

        Assert.Equal(original.Networks.Where(n => n.Key is not ("unused" or "default")).Select(n => (n.Key, n.Name, n.Internal)), copy.Networks.Where(n => n.Key != "default").Select(n => (n.Key, n.Name, n.Internal)));
        Assert.Equal(original.Volumes.Where(v => v.Key != "unused").Select(v => (v.Key, v.Name)), copy.Volumes.Select(v => (v.Key, v.Name)));
    }

    [Fact]
    public void Env_files_are_merged_into_environment_and_literal_dollars_survive()
    {
        var copy = ReadBack(Export(Load(StackFolder), ["*"], includeSecret: true));
        var app = copy.FindService("app")!;
        Assert.Empty(app.EnvFiles);
        Assert.Equal("prod", app.Environment["APP_MODE"]);
        Assert.Equal(EnvFileSecret, app.Environment["APP_SECRET"]);
        Assert.Equal($"postgres://app:{DbPassword}@db:5432/app", app.Environment["DATABASE_URL"]);
        Assert.Null(app.Environment["FROM_HOST"]);
        Assert.Equal("no", app.Environment["MODE"]);
        Assert.Equal("hello: world # not a comment", app.Environment["GREETING"]);
        Assert.Equal("cost $5", copy.FindService("db")!.Environment["PRICE"]);
        Assert.Equal(["sh", "-c", "echo $HOME && exit 0"], copy.FindService("job")!.Command);
        Assert.Equal(["CMD-SHELL", "redis-cli -a \"$REDIS_PASSWORD\" ping"], copy.FindService("cache")!.Healthcheck!.Test);
    }

    [Fact]
    public void Secrets_are_masked_wherever_they_appear()
    {
        var text = Export(Load(StackFolder), ["*"]);
        foreach (var secret in new[] { DbPassword, RedisPassword, EnvFileSecret, InlineToken, "literal-url-pw-4711" })
        {
            Assert.DoesNotContain(secret, text);
        }

        var copy = ReadBack(text);
        var app = copy.FindService("app")!;
        Assert.Equal(SecretMask.Masked, app.Environment["API_TOKEN"]);
        Assert.Equal(SecretMask.Masked, app.Environment["APP_SECRET"]);
        Assert.Equal($"postgres://app:{SecretMask.Masked}@db:5432/app", app.Environment["DATABASE_URL"]);
        Assert.Equal($"mysql://legacy:{SecretMask.Masked}@old-db:3306/app", app.Environment["LEGACY_URL"]);
        Assert.Equal("redis-server --requirepass " + SecretMask.Masked, string.Join(' ', copy.FindService("cache")!.Command!));
        Assert.Equal("app", copy.FindService("db")!.Environment["POSTGRES_USER"]);
        Assert.Equal("example/app:2.1", app.Image);
        Assert.Contains($"# Secret values read {SecretMask.Masked}.", text);
    }

    [Fact]
    public void Only_the_selected_services_and_what_they_use_are_written()
    {
        var stack = Load(StackFolder);
        var copy = ReadBack(Export(stack, ["data"]));
        Assert.Equal(["db"], copy.Services.Select(s => s.Name));
        Assert.Equal(["back"], copy.Networks.Where(n => n.Key != "default").Select(n => n.Key));
        Assert.Equal(["dbdata"], copy.Volumes.Select(v => v.Key));

        // app's optional dependency on cache, which is not selected, is left out: docker-compose 1.29 has no 'required: false'.
        var apps = ReadBack(Export(stack, ["apps", "data"]));
        Assert.Equal(["db", "app"], apps.Services.Select(s => s.Name));
        Assert.Equal(["db"], apps.FindService("app")!.DependsOn.Select(d => d.Service));
    }

    [Fact]
    public void The_implicit_default_network_keeps_its_project_name()
    {
        using var stack = new TestStack("services:\n  web: {image: busybox}\n", env: "COMPOSE_PROJECT_NAME=shop\n");
        var model = stack.Load();
        var copy = ReadBack(StackExporter.Export(model, model.Services, ["*"], SecretMask.None, _ => null));
        Assert.Equal(["default"], copy.FindService("web")!.Networks.Select(n => n.Name));
        Assert.Equal("shop_default", copy.Networks.Single(n => n.Key == "default").Name);
    }

    [Fact]
    public void The_export_avoids_what_docker_compose_1_29_refuses()
    {
        var text = Export(Load(StackFolder), ["*"]);
        Assert.DoesNotMatch(@"(?m)^name:", text);
        Assert.DoesNotMatch(@"(?m)^version:", text);
        Assert.DoesNotContain("required:", text);
        Assert.DoesNotContain("host_ip", text);
        Assert.DoesNotContain("env_file", text);
        Assert.Contains("\"[::1]:9090:9090/udp\"", text);
        Assert.Contains("# The project name is not in the file", text);
    }

    [Fact]
    public void A_dependency_on_an_unselected_profile_is_refused_as_the_resolver_does()
    {
        var error = Assert.Throws<DatamancyException>(() => Export(Load(StackFolder), ["apps"]));
        Assert.Equal(ErrorIds.UndefinedDependency, error.ErrorId);
    }

    [Fact]
    public void An_unreadable_env_file_is_named()
    {
        File.Delete(Path.Combine(StackFolder, "app.env"));
        var error = Assert.Throws<DatamancyException>(() => Export(Load(StackFolder), ["*"]));
        Assert.Equal(ErrorIds.ConfigUnreadable, error.ErrorId);
        Assert.Contains("app.env", error.Message);
        Assert.Contains("service 'app'", error.Message);
    }

    [Theory]
    [InlineData(90, "1m30s")]
    [InlineData(20, "20s")]
    [InlineData(3600, "1h")]
    [InlineData(3723, "1h2m3s")]
    [InlineData(0, "0s")]
    [InlineData(0.5, "500ms")]
    [InlineData(1.25, "1250ms")]
    public void Durations_are_written_as_compose_writes_them(double seconds, string expected) =>
        Assert.Equal(expected, StackExporter.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Strings_that_YAML_1_1_would_read_as_something_else_are_quoted()
    {
        var text = YamlTextWriter.Write(new YamlMap
        {
            { "plain", "web" }, { "path", "/var/lib/x" }, { "no", "no" }, { "on", "On" }, { "port", "80:80" }, { "number", "0.5" },
            { "empty", string.Empty }, { "tilde", "~" }, { "null", null }, { "int", 3 }, { "bool", true }, { "list", new List<string>() },
            { "map", new YamlMap() }, { "kept", new PlainScalar("204") },
        });
        Assert.Equal(
            "plain: web\npath: /var/lib/x\n\"no\": \"no\"\n\"on\": \"On\"\nport: \"80:80\"\nnumber: \"0.5\"\nempty: \"\"\ntilde: \"~\"\n" +
            "\"null\": null\nint: 3\nbool: true\nlist: []\nmap: {}\nkept: 204\n",
            text);
    }

    [Fact]
    public void The_destination_is_checked_before_anything_is_written()
    {
        var target = Path.Combine(_root, "out.yml");
        ExportDestination.Check(target, force: false);
        File.WriteAllText(target, "keep");
        var exists = Assert.Throws<DatamancyException>(() => ExportDestination.Check(target, force: false));
        Assert.Equal(ErrorIds.DestinationExists, exists.ErrorId);
        Assert.Contains("-Force", exists.Message);
        ExportDestination.Check(target, force: true);
        Assert.Equal(ErrorIds.FileUnwritable, Assert.Throws<DatamancyException>(() => ExportDestination.Check(_root, force: true)).ErrorId);
        Assert.Equal(ErrorIds.FileUnwritable, Assert.Throws<DatamancyException>(() => ExportDestination.Check(Path.Combine(_root, "none", "x.yml"), force: true)).ErrorId);
        Assert.Equal("keep", File.ReadAllText(target));
    }

    [Fact]
    public void A_file_with_secrets_gets_mode_600()
    {
        var file = ExportDestination.Write(Path.Combine(_root, "secret.yml"), "a: 1\n", holdsSecrets: true);
        Assert.True(file.Exists);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.FullName));
        }
    }
}
