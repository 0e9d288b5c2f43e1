using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Reporting;
using Datamancy.Stack;

namespace Datamancy.Security.Secrets;

/// <summary>
/// Rotates secrets: validates every plan first (engine reachable, servers running, current value
/// logs in), then, one secret at a time, writes the new value to .env (after a backup), changes it
/// in each server and checks the server accepts it. On a failure it puts the previous value back
/// in the servers and then in .env; only when that fails too does it report the two out of sync,
/// saying which side holds which value.
/// </summary>
public sealed class SecretRotator(IContainerExecutor? exec, Func<ServerKind, ISecretStore> stores, IReporter reporter, Func<string>? generate = null)
{
    private readonly Func<string> _generate = generate ?? SecretGenerator.NewHexSecret;

    /// <summary>The rotator of a cmdlet call: the servers are reached through the engine's exec when one is connected.</summary>
    public static SecretRotator For(IDockerEngine? engine, IReporter reporter) =>
        new(engine is null ? null : new ContainerExec(engine), DefaultStore, reporter);

    /// <summary>Validates every plan before any is carried out, in order.</summary>
    public async Task<IReadOnlyList<SecretReadiness>> ValidateAllAsync(StackDefinition stack, IReadOnlyList<SecretPlan> plans, EnvFileState env, EngineView engine,
        bool force, CancellationToken cancellationToken)
    {
        var result = new List<SecretReadiness>();
        foreach (var plan in plans)
        {
            result.Add(await ValidateAsync(stack, plan, env, engine, force, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    public static ISecretStore DefaultStore(ServerKind kind) => kind switch
    {
        ServerKind.MariaDb => new MariaDbStore(),
        ServerKind.Postgres => new PostgresStore(),
        ServerKind.Ldap => new LdapStore(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No secret store for this kind of server."),
    };

    public async Task<SecretReadiness> ValidateAsync(StackDefinition stack, SecretPlan plan, EnvFileState env, EngineView engine, bool force,
        CancellationToken cancellationToken)
    {
        if (plan.PinnedReason is { } reason && !force)
        {
            return Refused(plan, ErrorIds.SecretPinned, ErrorKind.InvalidOperation,
                $"{plan.Name} was not changed: {reason}. Then run again with -Force, which writes the new value{(plan.Targets.Count > 0 ? " to .env and the servers Datamancy can change" : " to .env")}.");
        }

        if (plan.Targets.Count > 0 && (engine.Containers is null || exec is null))
        {
            return Refused(plan, ErrorIds.SecretTargetUnavailable, ErrorKind.ConnectionError,
                $"{plan.Name} was not changed: it is also stored in {string.Join(", ", plan.Targets)}, and no Docker engine answered ({engine.Unreachable}). Start the engine or point -DockerHost at it.");
        }

        var states = new List<TargetState>();
        foreach (var target in plan.Targets)
        {
            reporter.Progress(plan.Name, $"checking {target}");
            var service = stack.FindService(target.Service)!;
            if (engine.Containers!.TryGetValue(target.Service, out var container) && container.IsRunning)
            {
                try
                {
                    await stores(target.Kind).CheckAsync(exec!, container.Id, target, AuthValue(stack, env, target), cancellationToken).ConfigureAwait(false);
                    if (await stores(target.Kind).AcceptsAsync(exec!, container.Id, target, env.Values[plan.Name], cancellationToken).ConfigureAwait(false) == false)
                    {
                        return Refused(plan, ErrorIds.SecretTargetUnavailable, ErrorKind.InvalidData,
                            $"{plan.Name} was not changed: {target} refuses the value .env holds now, so the two already disagree; restore the working value in .env first.");
                    }
                }
                catch (DatamancyException exception)
                {
                    return Refused(plan, exception.ErrorId, exception.Kind, $"{plan.Name} was not changed: {exception.Message}");
                }

                states.Add(new TargetState(target, container.Id));
            }
            else if (container is not null)
            {
                return Refused(plan, ErrorIds.SecretTargetUnavailable, ErrorKind.ResourceUnavailable,
                    $"{plan.Name} was not changed: {target.Service} is {container.State.ToString().ToLowerInvariant()}, and its data holds the current value. Start it (Start-DatamancyService -Name {target.Service}) and run again.");
            }
            else if (DataOf(stack, service, engine).FirstOrDefault() is { } data)
            {
                return Refused(plan, ErrorIds.SecretTargetUnavailable, ErrorKind.ResourceUnavailable,
                    $"{plan.Name} was not changed: {target.Service} has no container, but its data ({data}) holds the current value. Start it (Start-DatamancyService -Name {target.Service}) and run again.");
            }
            else
            {
                states.Add(new TargetState(target, null));
            }
        }

        return new SecretReadiness(plan, states, null);
    }

    public async Task<(SecretUpdate Update, DatamancyException? Error)> RotateAsync(StackDefinition stack, SecretReadiness ready, EnvFileState env,
        CancellationToken cancellationToken)
    {
        var plan = ready.Plan;
        var previousText = env.Text;
        var previous = env.Values[plan.Name];
        var value = _generate();
        reporter.Progress(plan.Name, "writing .env");
        try
        {
            env.Write(Security.EnvFileEditor.Set(env.Text, plan.Name, value));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Nothing changed yet: .env is replaced atomically or not at all.
            return Failed(stack, plan, env, SecretUpdateStatus.Failed, ErrorIds.SecretRotationFailed,
                $"{plan.Name} was not changed: {env.FilePath} could not be written ({exception.Message}).", []);
        }

        var changed = new List<TargetState>();
        try
        {
            foreach (var state in ready.Targets.Where(t => t.ContainerId is not null))
            {
                reporter.Progress(plan.Name, $"changing it in {state.Target}");
                var store = stores(state.Target.Kind);
                await store.SetAsync(exec!, state.ContainerId!, state.Target, Auth(stack, env, state.Target, plan.Name, previous), value, cancellationToken).ConfigureAwait(false);
                changed.Add(state);
                if (await store.AcceptsAsync(exec!, state.ContainerId!, state.Target, value, cancellationToken).ConfigureAwait(false) == false)
                {
                    throw new DatamancyException(ErrorIds.SecretRotationFailed, ErrorKind.InvalidOperation,
                        $"{state.Target} refuses the new value right after the change.", state.Target.Service);
                }
            }
        }
        catch (Exception exception) when (exception is DatamancyException or OperationCanceledException or HttpRequestException or IOException)
        {
            var outcome = await RollBackAsync(stack, plan, env, previousText, previous, value, changed, exception).ConfigureAwait(false);
            if (exception is OperationCanceledException)
            {
                throw;
            }

            return outcome;
        }

        var fresh = ready.Targets.Where(t => t.ContainerId is null).Select(t => t.Target.Service).ToList();
        var message = $"New value written to .env{(changed.Count > 0 ? $" and set in {string.Join(", ", changed.Select(c => c.Target))}, which accept{(changed.Count == 1 ? "s" : string.Empty)} it" : string.Empty)}."
            + (fresh.Count > 0 ? $" {string.Join(", ", fresh)} has no data yet and takes the new value when first started." : string.Empty)
            + (plan.Services.Count > 0 ? $" Recreate the services that read it so they use it: Start-DatamancyService -Name {string.Join(", ", plan.Services)}." : " No service reads it.")
            + (plan.PinnedReason is { } pinned ? $" Forced although {pinned}." : string.Empty);
        return (Update(stack, plan, ["env", .. changed.Select(c => c.Target.Place)], SecretUpdateStatus.Updated, message, env), null);
    }

    private async Task<(SecretUpdate, DatamancyException)> RollBackAsync(StackDefinition stack, SecretPlan plan, EnvFileState env, string previousText,
        string previous, string value, List<TargetState> changed, Exception failure)
    {
        var reason = failure is DatamancyException known ? known.Message : $"{failure.GetType().Name}: {StoreErrors.Scrub(failure.Message, previous, value)}";
        var stuck = new List<(TargetState State, string Why)>();
        foreach (var state in Enumerable.Reverse(changed))
        {
            reporter.Progress(plan.Name, $"putting the previous value back in {state.Target}");
            try
            {
                // The rolled-back account now logs in with the new value when it is its own admin.
                var auth = state.Target.AuthVariable == plan.Name ? value : AuthValue(stack, env, state.Target);
                await stores(state.Target.Kind).SetAsync(exec!, state.ContainerId!, state.Target, auth, previous, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is DatamancyException or HttpRequestException or IOException)
            {
                stuck.Add((state, exception is DatamancyException d ? d.Message : StoreErrors.Scrub(exception.Message, previous, value)));
            }
        }

        var others = plan.Targets.Where(t => stuck.All(s => s.State.Target != t)).ToList();
        if (stuck.Count == 0)
        {
            try
            {
                env.Write(previousText);
                var message = $"{plan.Name} was not changed: {reason} The previous value is back in .env{(changed.Count > 0 ? $" and in {string.Join(", ", changed.Select(c => c.Target))}" : string.Empty)}.";
                return Failed(stack, plan, env, SecretUpdateStatus.Failed, ErrorIds.SecretRotationFailed, message, []);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                var message = $"{plan.Name} is out of sync: {reason} The servers have the previous value again, but .env could not be restored ({exception.Message}) and holds the new one. Copy {plan.Name} from {env.Backup} back into .env.";
                return Failed(stack, plan, env, SecretUpdateStatus.OutOfSync, ErrorIds.SecretOutOfSync, message, ["env"]);
            }
        }

        var outOfSync = $"{plan.Name} is out of sync: {reason} Putting the previous value back failed for {string.Join("; ", stuck.Select(s => $"{s.State.Target}: {s.Why}"))}. "
            + $".env and {string.Join(", ", stuck.Select(s => s.State.Target))} hold the new value{(others.Count > 0 ? $"; {string.Join(", ", others)} the previous one" : string.Empty)}; the previous value is in {env.Backup}. "
            + "Set one value everywhere by hand, then check with Test-DatamancySecurity.";
        return Failed(stack, plan, env, SecretUpdateStatus.OutOfSync, ErrorIds.SecretOutOfSync, outOfSync, ["env", .. stuck.Select(s => s.State.Target.Place)]);
    }

    // The value that logs in to change a target: the admin's value before this rotation when the admin is the rotated variable itself.
    private static string? Auth(StackDefinition stack, EnvFileState env, SecretTarget target, string rotated, string previous) =>
        target.AuthVariable == rotated ? previous : AuthValue(stack, env, target);

    private static string? AuthValue(StackDefinition stack, EnvFileState env, SecretTarget target)
    {
        if (target.AuthVariable is { } variable && env.Values.TryGetValue(variable, out var current))
        {
            return current;
        }

        return target.AuthKey is { } key && stack.FindService(target.Service)?.Environment.TryGetValue(key, out var value) == true ? value : null;
    }

    // Where a server without a container keeps data: its named volumes that exist, and its writable bind mounts that hold files.
    private static IEnumerable<string> DataOf(StackDefinition stack, ServiceDefinition service, EngineView engine)
    {
        foreach (var mount in service.Volumes.Where(v => !v.ReadOnly && v.Source is not null))
        {
            if (mount.Type == "volume" && stack.Volumes.FirstOrDefault(v => v.Key == mount.Source) is { } volume && engine.Volumes.Contains(volume.Name))
            {
                yield return $"volume {volume.Name}";
            }
            else if (mount.Type == "bind" && Directory.Exists(mount.Source) && Directory.EnumerateFileSystemEntries(mount.Source).Any())
            {
                yield return mount.Source!;
            }
        }
    }

    private static SecretReadiness Refused(SecretPlan plan, string errorId, ErrorKind kind, string message) =>
        new(plan, [], new DatamancyException(errorId, kind, message, plan.Name));

    private static (SecretUpdate, DatamancyException) Failed(StackDefinition stack, SecretPlan plan, EnvFileState env, SecretUpdateStatus status,
        string errorId, string message, string[] updatedIn) =>
        (Update(stack, plan, updatedIn, status, message, env), new DatamancyException(errorId, ErrorKind.InvalidOperation, message, plan.Name));

    private static SecretUpdate Update(StackDefinition stack, SecretPlan plan, string[] updatedIn, SecretUpdateStatus status, string message, EnvFileState env) =>
        new(plan.Name, [.. plan.Services], updatedIn, status, message, env.Backup ?? string.Empty, stack.Directory);
}
