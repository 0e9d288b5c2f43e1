using System.Text.RegularExpressions;
using Datamancy.Errors;
using Datamancy.Stack;

namespace Datamancy.Tests;

public sealed class StackCreatorTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dm-creator-" + Guid.NewGuid().ToString("N"));

    public StackCreatorTests()
    {
        var bundled = Path.Combine(_root, "bundled");
        Directory.CreateDirectory(Path.Combine(bundled, "caddy"));
        File.WriteAllText(Path.Combine(bundled, "docker-compose.yml"),
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?run New-DatamancyStack}\n");
        File.WriteAllText(Path.Combine(bundled, ".env.example"),
            "# project\nCOMPOSE_PROJECT_NAME=datamancy\n# the database password\nDB_PASSWORD=\nAPI_TOKEN=\nDOMAIN=stack.local\n");
        File.WriteAllText(Path.Combine(bundled, "caddy", "Caddyfile"), "db.stack.local {\n  reverse_proxy db:5432\n}\n");
        Creator = new StackCreator(bundled);
    }

    private StackCreator Creator { get; }

    private string Target => Path.Combine(_root, "stack");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static IReadOnlyDictionary<string, string> ReadEnv(string directory) =>
        DotEnvFile.Parse(".env", File.ReadAllText(Path.Combine(directory, ".env")), _ => null);

    [Fact]
    public void Creates_the_files_and_an_env_with_fresh_256_bit_secrets_mode_600()
    {
        Creator.Create(Creator.Plan(Target, null, force: false));
        Assert.True(File.Exists(Path.Combine(Target, "caddy", "Caddyfile")));
        var env = ReadEnv(Target);
        Assert.Matches("^[0-9a-f]{64}$", env["DB_PASSWORD"]);
        Assert.Matches("^[0-9a-f]{64}$", env["API_TOKEN"]);
        Assert.NotEqual(env["DB_PASSWORD"], env["API_TOKEN"]);
        Assert.Equal("stack.local", env["DOMAIN"]);
        Assert.Contains("# the database password", File.ReadAllText(Path.Combine(Target, ".env")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Target, ".env")));
        }

        var stack = new StackLoader(_ => null).Load(Target);
        Assert.Equal("datamancy", stack.ProjectName);
        Assert.Equal(env["DB_PASSWORD"], stack.Services.Single().Environment["POSTGRES_PASSWORD"]);
    }

    [Fact]
    public void Two_stacks_get_different_secrets()
    {
        Creator.Create(Creator.Plan(Target, null, false));
        var second = Path.Combine(_root, "second");
        Creator.Create(Creator.Plan(second, null, false));
        Assert.NotEqual(ReadEnv(Target)["DB_PASSWORD"], ReadEnv(second)["DB_PASSWORD"]);
    }

    [Fact]
    public void Refuses_an_existing_stack_without_force_and_changes_nothing()
    {
        Creator.Create(Creator.Plan(Target, null, false));
        var before = File.ReadAllText(Path.Combine(Target, ".env"));
        var error = Assert.Throws<DatamancyException>(() => Creator.Plan(Target, null, force: false));
        Assert.Equal(ErrorIds.StackExists, error.ErrorId);
        Assert.Contains("-Force", error.Message);
        Assert.Equal(before, File.ReadAllText(Path.Combine(Target, ".env")));
    }

    [Fact]
    public void Force_keeps_the_existing_values_and_sets_the_project_name()
    {
        Creator.Create(Creator.Plan(Target, null, false));
        var before = ReadEnv(Target);
        File.WriteAllText(Path.Combine(Target, "docker-compose.yml"), "broken: [");
        Creator.Create(Creator.Plan(Target, "prod-1", force: true));
        var after = ReadEnv(Target);
        Assert.Equal(before["DB_PASSWORD"], after["DB_PASSWORD"]);
        Assert.Equal("prod-1", after["COMPOSE_PROJECT_NAME"]);
        Assert.Equal("prod-1", new StackLoader(_ => null).Load(Target).ProjectName);
    }

    [Fact]
    public void Force_fills_secrets_that_are_missing_or_empty_and_keeps_the_rest()
    {
        Creator.Create(Creator.Plan(Target, null, false));
        var envFile = Path.Combine(Target, ".env");
        var token = ReadEnv(Target)["API_TOKEN"];
        File.WriteAllText(envFile, $"COMPOSE_PROJECT_NAME=kept\nDB_PASSWORD=\nAPI_TOKEN={token}\nDOMAIN=\nMINE=1\n");
        var error = Assert.Throws<DatamancyException>(() => new StackLoader(_ => null).Load(Target));
        Assert.Contains("New-DatamancyStack -Path", error.Message);

        Creator.Create(Creator.Plan(Target, null, force: true));
        var after = ReadEnv(Target);
        Assert.Matches("^[0-9a-f]{64}$", after["DB_PASSWORD"]);
        Assert.Equal(token, after["API_TOKEN"]);
        Assert.Equal("kept", after["COMPOSE_PROJECT_NAME"]);
        Assert.Equal("", after["DOMAIN"]);
        Assert.Equal("1", after["MINE"]);
        Assert.Equal(after["DB_PASSWORD"], new StackLoader(_ => null).Load(Target).Services.Single().Environment["POSTGRES_PASSWORD"]);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("-lead")]
    [InlineData("has space")]
    public void Invalid_project_name_is_refused(string name)
    {
        var error = Assert.Throws<DatamancyException>(() => Creator.Plan(Target, name, false));
        Assert.Equal(ErrorIds.InvalidProjectName, error.ErrorId);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void Missing_bundled_configs_are_reported()
    {
        var error = Assert.Throws<DatamancyException>(() => new StackCreator(Path.Combine(_root, "none")).Plan(Target, null, false));
        Assert.Equal(ErrorIds.BundledConfigsMissing, error.ErrorId);
    }

    [Fact]
    public void Kept_values_with_special_characters_round_trip()
    {
        var rendered = StackCreator.RenderEnv("A=\nB=\nC=\n", new Dictionary<string, string> { ["A"] = "it's $x \"q\"", ["B"] = "a b#c", ["C"] = "plain" }, null);
        var parsed = DotEnvFile.Parse(".env", rendered, _ => null);
        Assert.Equal("it's $x \"q\"", parsed["A"]);
        Assert.Equal("a b#c", parsed["B"]);
        Assert.Equal("plain", parsed["C"]);
        Assert.Matches(new Regex("^C=plain$", RegexOptions.Multiline), rendered);
    }
}
