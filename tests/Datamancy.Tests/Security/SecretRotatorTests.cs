using Datamancy.Engine;
using Datamancy.Files;
using Datamancy.Security.Secrets;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Datamancy.Reporting;

namespace Datamancy.Tests.Security;

/// <summary>
/// The rotator's order and recovery over the secret test stack (tests/stacks/secrets) with
/// in-memory servers: validation before any change, .env before the servers, rollback on failure,
/// out of sync only when rollback fails, and no value in any message.
/// </summary>
public sealed class SecretRotatorTests : IDisposable
{
    private const string Root = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string App = "2222222222222222222222222222222222222222222222222222222222222222";
    private const string Pg = "3333333333333333333333333333333333333333333333333333333333333333";
    private const string Token = "4444444444444444444444444444444444444444444444444444444444444444";
    private static readonly string Source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../stacks/secrets"));

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dm-rotator-" + Guid.NewGuid().ToString("N"));
    private readonly FakeStore _store = new();
    private readonly StackDefinition _stack;
    private readonly RawCompose _raw;
    private readonly Queue<string> _values = new(["5555555555555555555555555555555555555555555555555555555555555555", "6666666666666666666666666666666666666666666666666666666666666666"]);

    public SecretRotatorTests()
    {
        Directory.CreateDirectory(_directory);
        File.Copy(Path.Combine(Source, "docker-compose.yml"), Path.Combine(_directory, "docker-compose.yml"));
        PrivateFile.WriteAllText(EnvPath, $"# test\nCOMPOSE_PROJECT_NAME=dmrot\nMARIADB_ROOT_PASSWORD={Root}\nVAULTWARDEN_DB_PASSWORD={App}\nPAPERLESS_DB_PASSWORD={Pg}\nVAULTWARDEN_ADMIN_TOKEN={Token}\n");
        _stack = new StackLoader(_ => null).Load(_directory);
        _raw = RawCompose.Read(_stack.ComposeFile);
        _store.Passwords["root"] = Root;
        _store.Passwords["vaultwarden"] = App;
        _store.Passwords["paperless"] = Pg;
    }

    private string EnvPath => Path.Combine(_directory, ".env");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes; the suite runs on Linux (build.ps1 -Task Test)
    public async Task Rotates_env_and_database_and_keeps_a_private_backup()
    {
        var env = new EnvFileState(EnvPath);
        var (update, error) = await RotateAsync(env, "VAULTWARDEN_DB_PASSWORD");

        Assert.Null(error);
        Assert.Equal(SecretUpdateStatus.Updated, update.Status);
        Assert.Equal(["env", "database:mariadb"], update.UpdatedIn);
        Assert.Equal(["mariadb", "vaultwarden"], update.Services);
        var value = new EnvFileState(EnvPath).Values["VAULTWARDEN_DB_PASSWORD"];
        Assert.Equal(_store.Passwords["vaultwarden"], value);
        Assert.NotEqual(App, value);
        Assert.StartsWith("# test\nCOMPOSE_PROJECT_NAME=dmrot\n", File.ReadAllText(EnvPath));
        Assert.Contains($"VAULTWARDEN_DB_PASSWORD={App}", File.ReadAllText(update.Backup));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(update.Backup));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EnvPath));
        Assert.DoesNotContain(value, update.Message);
    }

    [Fact]
    public async Task Root_then_app_user_log_in_with_the_current_root_password()
    {
        var env = new EnvFileState(EnvPath);
        Assert.Null((await RotateAsync(env, "MARIADB_ROOT_PASSWORD")).Error);
        Assert.Null((await RotateAsync(env, "VAULTWARDEN_DB_PASSWORD")).Error);
        Assert.Equal(env.Values["MARIADB_ROOT_PASSWORD"], _store.Passwords["root"]);
        Assert.Equal(env.Values["VAULTWARDEN_DB_PASSWORD"], _store.Passwords["vaultwarden"]);
    }

    [Fact]
    public async Task Failure_in_the_database_puts_env_back_and_changes_nothing()
    {
        _store.FailNextSet.Add("paperless");
        var env = new EnvFileState(EnvPath);
        var before = File.ReadAllText(EnvPath);

        var (update, error) = await RotateAsync(env, "PAPERLESS_DB_PASSWORD");

        Assert.Equal(SecretUpdateStatus.Failed, update.Status);
        Assert.Equal("SecretRotationFailed", error!.ErrorId);
        Assert.Equal(before, File.ReadAllText(EnvPath));
        Assert.Equal(Pg, _store.Passwords["paperless"]);
        Assert.Contains("The previous value is back in .env", error.Message);
    }

    [Fact]
    public async Task Failed_rollback_is_out_of_sync_and_says_who_holds_what()
    {
        var env = new EnvFileState(EnvPath);
        // The change goes through, then the server refuses the new value, and putting the old one back fails too.
        var ready = await ValidateAsync(env, "PAPERLESS_DB_PASSWORD");
        var refusing = new RefusingStore(_store);
        var rotator = new SecretRotator(new NoExecutor(), _ => refusing, NullReporter.Instance, _values.Dequeue);
        var (update, error) = await rotator.RotateAsync(_stack, ready, env, CancellationToken.None);

        Assert.Equal(SecretUpdateStatus.OutOfSync, update.Status);
        Assert.Equal("SecretOutOfSync", error!.ErrorId);
        Assert.Equal(["env", "database:paperless-postgres"], update.UpdatedIn);
        Assert.Equal(_store.Passwords["paperless"], new EnvFileState(EnvPath).Values["PAPERLESS_DB_PASSWORD"]);
        Assert.Contains(update.Backup, error.Message);
        Assert.DoesNotContain(Pg, error.Message);
        Assert.DoesNotContain(_store.Passwords["paperless"], error.Message);
    }

    [Fact]
    public async Task Validation_refuses_before_any_change()
    {
        var env = new EnvFileState(EnvPath);
        _store.Passwords["root"] = "someone changed it by hand";
        var wrongRoot = await ValidateAsync(env, "VAULTWARDEN_DB_PASSWORD");
        Assert.Equal("SecretTargetUnavailable", wrongRoot.Error!.ErrorId);

        var stopped = await ValidateAsync(env, "PAPERLESS_DB_PASSWORD", state: "exited");
        Assert.Contains("paperless-postgres is exited", stopped.Error!.Message);

        var noEngine = await new SecretRotator(null, _ => _store, NullReporter.Instance)
            .ValidateAsync(_stack, Plan("PAPERLESS_DB_PASSWORD"), env, new EngineView(null, new HashSet<string>(), "no socket"), false, CancellationToken.None);
        Assert.Contains("no Docker engine answered (no socket)", noEngine.Error!.Message);
        Assert.Null(env.Backup);
        Assert.DoesNotContain(".bak", string.Join(",", Directory.GetFiles(_directory)));
    }

    [Fact]
    public async Task Server_without_container_or_data_takes_the_new_value_when_first_started()
    {
        var env = new EnvFileState(EnvPath);
        var ready = await new SecretRotator(new NoExecutor(), _ => _store, NullReporter.Instance)
            .ValidateAsync(_stack, Plan("PAPERLESS_DB_PASSWORD"), env, new EngineView(new Dictionary<string, LiveContainer>(), new HashSet<string>(), null), false, CancellationToken.None);
        Assert.Null(ready.Error);
        Assert.Null(Assert.Single(ready.Targets).ContainerId);
        var (update, _) = await new SecretRotator(new NoExecutor(), _ => _store, NullReporter.Instance).RotateAsync(_stack, ready, env, CancellationToken.None);
        Assert.Equal(["env"], update.UpdatedIn);
        Assert.Contains("has no data yet", update.Message);
    }

    [Fact]
    public async Task Pinned_secret_is_refused_unless_forced()
    {
        var env = new EnvFileState(EnvPath);
        var plan = Plan("VAULTWARDEN_ADMIN_TOKEN") with { PinnedReason = "it encrypts something" };
        var rotator = new SecretRotator(null, _ => _store, NullReporter.Instance);
        var engine = new EngineView(null, new HashSet<string>(), "not asked");
        Assert.Equal("SecretPinned", (await rotator.ValidateAsync(_stack, plan, env, engine, false, CancellationToken.None)).Error!.ErrorId);
        Assert.Null((await rotator.ValidateAsync(_stack, plan, env, engine, true, CancellationToken.None)).Error);
    }

    private SecretPlan Plan(string name) => SecretPlanner.Plan(_stack, _raw, name);

    private async Task<SecretReadiness> ValidateAsync(EnvFileState env, string name, string state = "running") =>
        await new SecretRotator(new NoExecutor(), _ => _store, NullReporter.Instance)
            .ValidateAsync(_stack, Plan(name), env, Running(state), false, CancellationToken.None);

    private async Task<(SecretUpdate Update, Datamancy.Errors.DatamancyException? Error)> RotateAsync(EnvFileState env, string name)
    {
        var ready = await ValidateAsync(env, name);
        Assert.Null(ready.Error);
        return await new SecretRotator(new NoExecutor(), _ => _store, NullReporter.Instance, _values.Dequeue).RotateAsync(_stack, ready, env, CancellationToken.None);
    }

    private static EngineView Running(string state) => new(
        new[] { "mariadb", "paperless-postgres" }.ToDictionary(s => s,
            s => new LiveContainer("id-" + s, "dmrot-" + s + "-1", s, Enum.Parse<ContainerState>(state, true), HealthStatus.Healthy, state, "sha256:x", DateTime.UtcNow, [], new Dictionary<string, string>())),
        new HashSet<string>(), null);

    // Sets the value, then refuses it, and refuses every later change: the rollback cannot succeed.
    private sealed class RefusingStore(FakeStore inner) : ISecretStore
    {
        public Task CheckAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, CancellationToken cancellationToken) =>
            inner.CheckAsync(exec, containerId, target, auth, cancellationToken);

        public async Task SetAsync(IContainerExecutor exec, string containerId, SecretTarget target, string? auth, string value, CancellationToken cancellationToken)
        {
            await inner.SetAsync(exec, containerId, target, auth, value, cancellationToken);
            inner.FailEverySet.Add(target.Account);
        }

        public Task<bool?> AcceptsAsync(IContainerExecutor exec, string containerId, SecretTarget target, string value, CancellationToken cancellationToken) =>
            Task.FromResult<bool?>(false);
    }
}
