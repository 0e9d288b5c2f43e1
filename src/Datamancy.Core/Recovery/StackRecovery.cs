using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Datamancy.Backup;
using Datamancy.Backup.Restic;
using Datamancy.Checks;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Images;
using Datamancy.Reporting;
using Datamancy.Security;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Recovery;

/// <summary>
/// Rebuilds a stack from its repository on an engine (Restore-DatamancyStack; Test-DatamancyRecovery
/// runs the same into an isolated copy). Each step goes through the backup engine and the start path
/// the rest of the module uses: BackupRestorer fills volumes and loads dumps, the Reconciler starts.
/// </summary>
public sealed class StackRecovery(IDockerEngine docker, RecoveryRequest request, IReporter reporter)
{
    /// <summary>The label of the tool container that reads the repository before any project is known.</summary>
    public const string BootstrapProject = "datamancy-recovery";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly BackupSettings _settings = BackupSettingsReader.ForRestic(request.ToolImage, request.Repository, "RESTIC_REPOSITORY_PASSWORD", Environment.CurrentDirectory);

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Reads the repository and picks the snapshots: the newest of each target at or before the time asked for.</summary>
    public async Task<RecoverySet> ChooseAsync(CancellationToken cancellationToken)
    {
        // A new host has none of the images yet: the tool's is pulled first (the stack's are pulled by the start).
        if (await docker.InspectImageAsync(_settings.Image, cancellationToken).ConfigureAwait(false) is null)
        {
            reporter.Progress("repository", $"pulling {_settings.Image}");
            await docker.PullImageAsync(_settings.Image, null, null, cancellationToken).ConfigureAwait(false);
        }

        reporter.Progress("repository", "listing snapshots");
        await using var tool = new ToolContainer(docker, _settings.Image, BootstrapProject, _settings.RepositoryMounts, _settings.NeedsNetwork);
        var engine = new ResticEngine(await tool.RunnerAsync(cancellationToken).ConfigureAwait(false), "restic", BackupSession.ResticEnvironment(_settings, request.Password), string.Empty);
        return RecoverySet.Choose(await engine.ListAsync(cancellationToken).ConfigureAwait(false), request.Project, request.At, request.Repository);
    }

    /// <summary>Restores the stack folder's snapshot into <paramref name="folder"/> (content checked against the snapshot by restic --verify).</summary>
    public async Task RestoreStackFolderAsync(RecoverySet set, string folder, CancellationToken cancellationToken)
    {
        reporter.Progress("stack folder", $"restoring snapshot {set.StackFolder.Id}");
        Directory.CreateDirectory(folder);
        await using var tool = new ToolContainer(docker, _settings.Image, BootstrapProject,
            [.. _settings.RepositoryMounts, ToolMount.Bind(Path.GetFullPath(folder), set.StackFolder.SourcePath, false)], _settings.NeedsNetwork);
        var runner = await tool.RunnerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await new ResticEngine(runner, "restic", BackupSession.ResticEnvironment(_settings, request.Password), string.Empty)
                .RestoreAsync(set.StackFolder, "/", cancellationToken).ConfigureAwait(false);
        }
        catch (DatamancyException exception)
        {
            throw new DatamancyException(exception.ErrorId, exception.Kind, $"{BackupTarget.ConfigsName} (the stack folder): {exception.Message}", BackupTarget.ConfigsName, exception);
        }
    }

    /// <summary>The restored stack, under the project name it was backed up as (or <paramref name="project"/>), whatever the new folder is called.</summary>
    public static StackDefinition Load(string folder, string project)
    {
        try
        {
            return new StackLoader(name => name == "COMPOSE_PROJECT_NAME" ? project : Environment.GetEnvironmentVariable(name)).Load(folder);
        }
        catch (DatamancyException exception) when (!File.Exists(Path.Combine(folder, StackLoader.EnvFileName)))
        {
            throw new DatamancyException(ErrorIds.RecoveryEnvMissing, ErrorKind.InvalidData,
                $"The stack folder was restored into {folder} without its .env (the backup policy left the secrets out), and the stack cannot be read without it: {exception.Message} " +
                $"Put the stack's .env into {folder} (from where you keep it) and run the same command again to go on.", folder, exception);
        }
    }

    /// <summary>Everything after the stack folder: volumes, databases, the other services, the checks. Emits one result per service.</summary>
    public async Task<IReadOnlyList<StackRecoveryResult>> RunAsync(RecoveryPlan plan, RecoveryProgress progress, string folder, Action<StackRecoveryResult> emit,
        CancellationToken cancellationToken)
    {
        var stack = plan.Stack;
        var session = new BackupSession(docker, stack, _settings, request.Password, reporter);
        var restorer = new BackupRestorer(session);
        var restored = new Dictionary<string, (long Files, TimeSpan Duration)>(StringComparer.Ordinal);

        reporter.Progress("resources", "creating networks and volumes");
        await ResourceManager.EnsureAsync(docker, stack, plan.Services, reporter, cancellationToken).ConfigureAwait(false);
        foreach (var (target, snapshot) in plan.Volumes.Where(v => !progress.Volumes.Contains(v.Target.Name)))
        {
            var result = await RestoreAsync(restorer, target, snapshot, cancellationToken).ConfigureAwait(false);
            restored[target.Name] = (result.Files, result.Duration);
            progress.Volumes.Add(target.Name);
            progress.Save(folder);
        }

        if (plan.Databases.Count > 0)
        {
            reporter.Progress("databases", "starting them alone");
            Failed(await StartAsync(stack, plan.DatabaseServices, cancellationToken).ConfigureAwait(false));
            foreach (var (target, snapshot) in plan.Databases.Where(d => !progress.Databases.Contains(d.Target.Name)))
            {
                var result = await RestoreAsync(restorer, target, snapshot, cancellationToken).ConfigureAwait(false);
                restored[target.Name] = (0, result.Duration);
                progress.Databases.Add(target.Name);
                progress.Save(folder);
            }
        }

        reporter.Progress("services", "starting in depends_on order");
        var started = (await StartAsync(stack, plan.Services, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var rows = await CountRowsAsync(plan, cancellationToken).ConfigureAwait(false);
        var tests = new Dictionary<string, ServiceTestOutcome>(StringComparer.Ordinal);
        reporter.Progress("checks", "Test-DatamancyService");
        var options = ServiceTestOptions.Default with { Caddy = await CaddyOfAsync(stack, cancellationToken).ConfigureAwait(false) };
        await new ServiceTester(docker, reporter).TestAsync(stack, plan.Services, options, o => { lock (tests) { tests[o.Service] = o; } }, cancellationToken)
            .ConfigureAwait(false);

        var results = new List<StackRecoveryResult>();
        var all = BackupTargetResolver.All(stack);
        foreach (var service in plan.Services)
        {
            var own = BackupTargetResolver.OfServices(stack, all, [service.Name]).Where(t => plan.Set.Targets.ContainsKey(t.Name)).ToList();
            var reasons = new List<string>();
            var start = started.GetValueOrDefault(service.Name);
            if (start is { Succeeded: false })
            {
                reasons.Add($"did not start: {start.Error}");
            }

            var (count, differences) = rows.GetValueOrDefault(service.Name, (0L, (IReadOnlyList<string>)[]));
            reasons.AddRange(differences);
            var test = tests.GetValueOrDefault(service.Name);
            var outcome = test is null ? "NotRun" : test.AllPassed ? "Passed" : "Failed: " + string.Join(", ", test.Results.Where(r => !r.Passed).Select(r => r.Check));
            if (test is { AllPassed: false })
            {
                reasons.Add("checks failed: " + string.Join("; ", test.Results.Where(r => !r.Passed).Select(r => $"{r.Check}: {r.Detail}")));
            }

            var duration = own.Aggregate(TimeSpan.Zero, (sum, t) => sum + restored.GetValueOrDefault(t.Name).Duration) + (start?.Duration ?? TimeSpan.Zero) + (test?.Duration ?? TimeSpan.Zero);
            var result = new StackRecoveryResult(service.Name,
                new TextList(own.Select(t => t.Kind == BackupTarget.DatabaseKind ? "dump" : "volume " + t.Name)),
                new TextList(own.Select(t => plan.Set.Targets[t.Name].Id)),
                own.Sum(t => restored.GetValueOrDefault(t.Name).Files), count, start?.Health ?? HealthStatus.Unknown, outcome, reasons.Count == 0, duration,
                string.Join(" ", reasons), stack.ProjectName, folder);
            results.Add(result);
            emit(result);
        }

        return results;
    }

    /// <summary>The summary object after the services' results.</summary>
    public StackRecoverySummary Summary(RecoverySet set, string folder, IReadOnlyList<StackRecoveryResult> results, bool drill, string reason = "") =>
        new(set.Project, folder, docker.Endpoint.ToString(), set.StackFolder.Time, results.Count, results.Count(r => !r.Passed), reason.Length == 0 && results.All(r => r.Passed),
            _clock.Elapsed, drill, reason);

    // A failed restore names its target, so a drill on a damaged repository says which backup is bad.
    private static async Task<RestoreResult> RestoreAsync(BackupRestorer restorer, BackupTarget target, SnapshotRecord snapshot, CancellationToken cancellationToken)
    {
        try
        {
            return await restorer.RestoreAsync(target, snapshot, null, true, cancellationToken).ConfigureAwait(false);
        }
        catch (DatamancyException exception) when (!exception.Message.StartsWith(target.Name + ":", StringComparison.Ordinal))
        {
            throw new DatamancyException(exception.ErrorId, exception.Kind, $"{target.Name}: {exception.Message}", target.Name, exception);
        }
    }

    // The restored Caddy's 443 as the engine published it: the drill's copy gets a loopback port of
    // its own. A drill without a Caddy of its own gets port 0, which nothing answers: its routes fail
    // their checks rather than being checked through the live Caddy on 443.
    private async Task<CaddyEndpoint> CaddyOfAsync(StackDefinition stack, CancellationToken cancellationToken)
    {
        var containers = await ContainerObserver.ListAsync(docker, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var port = stack.Services.Where(s => ServiceKinds.Is(s, "caddy")).Select(s => containers.GetValueOrDefault(s.Name)).OfType<LiveContainer>()
            .SelectMany(c => c.Ports).Select(p => Regex.Match(p, @"^(?:[^>]*:)?(\d+)->443/tcp$")).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var drill = stack.ProjectName.Contains(RecoveryIsolation.DrillInfix, StringComparison.Ordinal);
        return port is not null ? new CaddyEndpoint("127.0.0.1", int.Parse(port, CultureInfo.InvariantCulture))
            : drill ? new CaddyEndpoint("127.0.0.1", 0)
            : ServiceTestOptions.Default.Caddy;
    }

    private async Task<IReadOnlyList<ServiceResult>> StartAsync(StackDefinition stack, IReadOnlyList<ServiceDefinition> services, CancellationToken cancellationToken)
    {
        var none = new HashSet<string>(StringComparer.Ordinal);
        var plan = await StartPlanner.PlanAsync(docker, stack, services, null, none, cancellationToken).ConfigureAwait(false);
        var pulled = await StartPlanner.PullAsync(docker, plan, none, reporter, cancellationToken).ConfigureAwait(false);
        return await new Reconciler(docker, reporter).ConvergeAsync(pulled, request.Timeout, cancellationToken).ConfigureAwait(false);
    }

    // A database that did not start cannot take its dump: that stops the restore, naming it.
    private static void Failed(IReadOnlyList<ServiceResult> results)
    {
        if (results.FirstOrDefault(r => !r.Succeeded) is { } failed)
        {
            throw new DatamancyException(ErrorIds.RecoveryCheckFailed, ErrorKind.InvalidOperation,
                $"The database {failed.Name} did not start, so its dump cannot be loaded: {failed.Error}", failed.Name);
        }
    }

    // Rows now in each database against the counts its snapshot was tagged with at dump time.
    private async Task<Dictionary<string, (long Rows, IReadOnlyList<string> Differences)>> CountRowsAsync(RecoveryPlan plan, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, (long, IReadOnlyList<string>)>(StringComparer.Ordinal);
        var containers = await ContainerObserver.ListAsync(docker, plan.Stack.ProjectName, cancellationToken).ConfigureAwait(false);
        foreach (var (target, snapshot) in plan.Databases)
        {
            if (!containers.TryGetValue(target.Name, out var container) || !container.IsRunning)
            {
                counts[target.Name] = (0, [$"{target.Name} is not running, so its rows were not counted"]);
                continue;
            }

            var actual = await DatabaseExec.CountAsync(docker, container.Id, target, cancellationToken).ConfigureAwait(false);
            var expected = snapshot.Tags.TryGetValue(BackupTags.Rows, out var tag) ? RowCounts.Decode(tag) : new Dictionary<string, long>();
            counts[target.Name] = (actual.Values.Sum(), RowCounts.Differences(expected, actual));
        }

        return counts;
    }
}
