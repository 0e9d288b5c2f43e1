using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Security.Audit;
using Datamancy.Swarm;
using Datamancy.Tests.Fakes;

namespace Datamancy.Tests.Swarm;

public sealed class SwarmSecretTests
{
    private const string Compose = """
        name: sec
        x-datamancy:
          orchestrator: swarm
        services:
          db:
            image: reg.local/db:1
            environment:
              POSTGRES_USER: app
              POSTGRES_PASSWORD: ${DB_PASSWORD:?set it}
            x-datamancy:
              secret-files: [POSTGRES_PASSWORD]
          app:
            image: reg.local/app:1
            environment:
              APP_DB_PASSWORD: ${DB_PASSWORD}
              APP_USER: app
        """;

    private static TestStack Folder(string password = "s3cret-value-one") => new(Compose, $"DB_PASSWORD={password}\n");

    private static FakeEngine Engine() =>
        new FakeEngine { IsSwarmManager = true }.AddNode("n1", "manager").Pullable("reg.local/db:1", "sha256:d").Pullable("reg.local/app:1", "sha256:a");

    private static async Task Deploy(FakeEngine engine, TestStack folder)
    {
        var stack = folder.Load();
        var plan = await SwarmPlanner.PlanAsync(engine, stack, stack.Services, NullReporter.Instance, _ => null, CancellationToken.None);
        await new SwarmDeployer(engine, NullReporter.Instance).DeployAsync(plan, plan.Services, TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public void A_secret_is_named_by_project_variable_and_content_hash_and_never_shows_its_value()
    {
        using var folder = Folder();
        var stack = folder.Load();
        var one = SwarmSecrets.Secret(stack, "DB_PASSWORD", "a");
        var two = SwarmSecrets.Secret(stack, "DB_PASSWORD", "b");

        Assert.Matches("^sec_DB_PASSWORD_[0-9a-f]{16}$", one.Name);
        Assert.NotEqual(one.Name, two.Name);
        Assert.Equal(one.Name, SwarmSecrets.Secret(stack, "DB_PASSWORD", "a").Name);
        Assert.Equal("/run/secrets/DB_PASSWORD", one.Target);
        Assert.Equal(one.Name, one.ToString());
        Assert.True(SwarmObjectStore.VersionedName(new string('p', 80), [1]).Length <= 64);
    }

    [Fact]
    public void A_key_listed_in_secret_files_gets_KEY_FILE_and_others_keep_the_value_both_mount_the_secret()
    {
        using var folder = Folder();
        var stack = folder.Load();
        var secrets = SwarmSecrets.Read(stack);
        var settings = SwarmSettings.From(stack, _ => false);

        var db = ServiceSpecBuilder.Build(stack, stack.FindService("db")!, "i@sha256:1", settings, _ => null, secrets.For("db")).TaskTemplate!.ContainerSpec!;
        var app = ServiceSpecBuilder.Build(stack, stack.FindService("app")!, "i@sha256:1", settings, _ => null, secrets.For("app")).TaskTemplate!.ContainerSpec!;

        Assert.Contains("POSTGRES_PASSWORD_FILE=/run/secrets/DB_PASSWORD", db.Env!);
        Assert.DoesNotContain(db.Env!, e => e.Contains("s3cret-value-one", StringComparison.Ordinal));
        Assert.Contains("APP_DB_PASSWORD=s3cret-value-one", app.Env!);
        Assert.Equal("DB_PASSWORD", Assert.Single(db.Secrets!).File!.Name);
        Assert.Equal(db.Secrets!.Single().SecretName, Assert.Single(app.Secrets!).SecretName);
    }

    [Fact]
    public async Task Deploy_creates_one_labelled_secret_a_new_value_replaces_it_and_stop_remove_takes_only_the_stacks()
    {
        using var folder = Folder();
        var engine = Engine();
        await engine.CreateSecretAsync("other_X_1", [1], new Dictionary<string, string> { [SwarmLabels.Namespace] = "other" }, CancellationToken.None);

        await Deploy(engine, folder);
        var first = Assert.Single(engine.Secrets.Keys, k => k.StartsWith("sec_", StringComparison.Ordinal));
        Assert.Equal("s3cret-value-one", System.Text.Encoding.UTF8.GetString(engine.Secrets[first]));
        Assert.All(engine.Services, s => Assert.False(string.IsNullOrEmpty(s.Spec!.TaskTemplate!.ContainerSpec!.Secrets!.Single().SecretID)));

        File.WriteAllText(Path.Combine(folder.Directory, ".env"), "DB_PASSWORD=s3cret-value-two\n");
        await Deploy(engine, folder);
        var second = Assert.Single(engine.Secrets.Keys, k => k.StartsWith("sec_", StringComparison.Ordinal));
        Assert.NotEqual(first, second);

        var stack = folder.Load();
        var steps = await SwarmStopper.PlanAsync(engine, stack, stack.Services, remove: true, CancellationToken.None);
        await new SwarmStopper(engine, NullReporter.Instance).StopAsync(stack, steps.Where(s => s.IsChange).ToList(), removeNetworks: true, CancellationToken.None);
        Assert.Equal(["other_X_1"], engine.Secrets.Keys);
    }

    [Fact]
    public void A_secret_files_key_that_is_not_exactly_one_secret_is_refused()
    {
        using var folder = new TestStack(Compose.Replace("${DB_PASSWORD:?set it}", "pre-${DB_PASSWORD}", StringComparison.Ordinal), "DB_PASSWORD=x\n");

        var error = Assert.Throws<DatamancyException>(() => SwarmSecrets.Read(folder.Load()));

        Assert.Equal(ErrorIds.InvalidStackSetting, error.ErrorId);
        Assert.DoesNotContain("pre-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_audit_reports_a_secret_given_as_an_environment_value_on_a_swarm_stack_only()
    {
        using var folder = Folder();
        var findings = SecurityAuditor.Audit(folder.Load(), null, _ => null).Where(f => f.RuleId == "DMS023").ToList();

        var finding = Assert.Single(findings);
        Assert.Equal("app", finding.Service);
        Assert.DoesNotContain("s3cret", finding.Message, StringComparison.Ordinal);

        using var compose = new TestStack(Compose.Replace("orchestrator: swarm", "orchestrator: compose", StringComparison.Ordinal), "DB_PASSWORD=s3cret-value-one\n");
        Assert.DoesNotContain(SecurityAuditor.Audit(compose.Load(), null, _ => null), f => f.RuleId == "DMS023");
    }

    [Fact]
    public async Task A_rollout_updates_only_the_deployed_services_that_read_the_secret_and_drops_the_old_version()
    {
        using var folder = Folder();
        var engine = Engine();
        var stack = folder.Load();
        var plan = await SwarmPlanner.PlanAsync(engine, stack, [stack.FindService("db")!], NullReporter.Instance, _ => null, CancellationToken.None);
        await new SwarmDeployer(engine, NullReporter.Instance).DeployAsync(plan, plan.Services, TimeSpan.FromSeconds(5), CancellationToken.None);
        var first = Assert.Single(engine.Secrets.Keys);

        File.WriteAllText(Path.Combine(folder.Directory, ".env"), "DB_PASSWORD=s3cret-value-two\n");
        var results = await SwarmSecretRollout.RolloutAsync(engine, NullReporter.Instance, folder.Load(), ["db", "app"], CancellationToken.None);

        Assert.Equal(ServiceAction.Update, Assert.Single(results).Action);
        Assert.Equal(["sec_db"], engine.Services.Select(s => s.Spec!.Name));
        Assert.NotEqual(first, Assert.Single(engine.Secrets.Keys));
    }

    [Fact]
    public void A_secret_a_server_keeps_is_refused_in_swarm_mode_naming_it_and_one_without_passes()
    {
        var error = SwarmSecretRollout.Refusal("DB_PASSWORD", ["database:db"])!;

        Assert.Equal(ErrorIds.SwarmSecretInStore, error.ErrorId);
        Assert.Contains("DB_PASSWORD", error.Message, StringComparison.Ordinal);
        Assert.Contains("database:db", error.Message, StringComparison.Ordinal);
        Assert.Null(SwarmSecretRollout.Refusal("DB_PASSWORD", []));
    }
}
