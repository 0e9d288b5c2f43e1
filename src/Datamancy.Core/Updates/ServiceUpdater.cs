using System.Diagnostics;
using Datamancy.Backup;
using Datamancy.Checks;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Fingerprints;
using Datamancy.Images;
using Datamancy.Reporting;
using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Updates;

/// <summary>
/// Update-DatamancyService: all selected updates as one batch, so independent services update side by
/// side and dependents wait for their dependencies, as a start does. Before anything changes: the
/// services' own backups (with -Backup), then each running image kept under a rollback tag, then
/// every new image pulled. Then the containers are recreated on the new images in dependency order,
/// waiting for health; the services and, for each, the services that depend on it are checked
/// (Test-DatamancyService's checks). A service that fails, and every service of the batch that depends
/// on it, is recreated on its previous image and pinned there; the rest stay updated and their
/// fingerprints are recorded as passing. Every attempt goes to the history. Interrupted, the services
/// not yet proven on their new image are put back on the old one before the cancellation surfaces.
/// </summary>
public sealed class ServiceUpdater(IDockerEngine engine, RegistryCredentials credentials, IReporter reporter)
{
    private const int LogLinesKept = 20;

    public async Task UpdateAsync(StackDefinition stack, IReadOnlyList<UpdateCandidate> updates, UpdateOptions options, Action<UpdateResult> emit,
        CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var batch = updates.ToDictionary(u => u.Service.Name, StringComparer.Ordinal);
        if (options.Backup is { } session)
        {
            await BackUpAsync(session, batch.Keys, cancellationToken).ConfigureAwait(false);
        }

        foreach (var update in updates.Where(u => u.RunningImageId.Length > 0))
        {
            // The running image keeps a name, so no prune takes the version a rollback needs.
            await engine.TagImageAsync(update.RunningImageId, ImageNames.Repository(update.Service.Image!), RollbackTag.TagFor(update.Service.Name), cancellationToken).ConfigureAwait(false);
        }

        await new ImagePuller(engine, credentials, reporter).PullAsync(updates.Select(u => u.Service.Image!).ToList(), cancellationToken).ConfigureAwait(false);
        var pulled = new Dictionary<string, LocalImage>(StringComparer.Ordinal);
        foreach (var image in updates.Select(u => u.Service.Image!).Distinct(StringComparer.Ordinal))
        {
            pulled[image] = await engine.InspectImageAsync(image, cancellationToken).ConfigureAwait(false)
                ?? throw new DatamancyException(ErrorIds.ImageMissing, ErrorKind.ObjectNotFound, $"The engine reported {image} pulled, but does not have it; nothing was updated.", image);
        }

        // The services that depend on an updated one and worked before it: only they can blame the update.
        var baseline = await PassingDependentsAsync(stack, batch, options.Tests, cancellationToken).ConfigureAwait(false);
        var passed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var failures = await RecreateAsync(stack, updates.Select(u => (u.Service, new ResolvedImage(pulled[u.Service.Image!].Id, false))).ToList(), options.Timeout, cancellationToken).ConfigureAwait(false);
            await CheckAsync(stack, batch, baseline, failures, passed, options.Tests, cancellationToken).ConfigureAwait(false);
            var rollBack = WithUpdatedDependents(stack, batch, failures);
            var logs = await LastLogLinesAsync(stack, rollBack.Keys, cancellationToken).ConfigureAwait(false);
            var rolledBack = await RollBackAsync(stack, batch, rollBack.Keys, options.Timeout, cancellationToken).ConfigureAwait(false);
            Finish(stack, updates, pulled, rollBack, rolledBack, logs, clock.Elapsed, emit);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await PutBackUnprovenAsync(stack, batch, passed, options.Timeout).ConfigureAwait(false);
            throw;
        }
    }

    private async Task BackUpAsync(BackupSession session, IEnumerable<string> services, CancellationToken cancellationToken)
    {
        var targets = BackupTargetResolver.OfServices(session.Stack, services);
        if (targets.Count == 0)
        {
            reporter.Verbose("-Backup: the services to update have no volumes or databases to back up.");
            return;
        }

        var failed = new List<BackupResult>();
        await new BackupRunner(session).RunAsync(targets, null, result =>
        {
            if (result.Status == BackupStatus.Failed)
            {
                failed.Add(result);
            }
        }, cancellationToken).ConfigureAwait(false);
        if (failed.Count > 0)
        {
            throw new DatamancyException(ErrorIds.UpdateFailed, ErrorKind.InvalidOperation,
                $"Nothing was updated: the backup before the update failed for {string.Join("; ", failed.Select(f => $"{f.Target}: {f.Error}"))}", failed[0].Target);
        }
    }

    // Recreates the services on the given images, in dependency order, waiting for health; returns why each failed one failed.
    private async Task<Dictionary<string, string>> RecreateAsync(StackDefinition stack, IReadOnlyList<(ServiceDefinition Service, ResolvedImage Image)> targets,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        // An update cut off midway leaves what a cut-off start leaves: the same repairs apply.
        var live = await ContainerObserver.ReadAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var images = targets.ToDictionary(t => t.Service.Name, t => t.Image, StringComparer.Ordinal);
        var plans = DependencyGraph.InDependencyOrder(targets.Select(t => t.Service).ToList())
            .Select(s => Planner.Plan(stack.ProjectName, s, images[s.Name], live, force: false))
            .ToList();
        var results = await new Reconciler(engine, reporter).ConvergeAsync(new ConvergencePlan(stack, plans), timeout, cancellationToken).ConfigureAwait(false);
        return results.Where(r => !r.Succeeded).ToDictionary(r => r.Name, r => r.Error, StringComparer.Ordinal);
    }

    // The services outside the batch that depend on one in it and pass their checks now, before anything changes.
    private async Task<IReadOnlySet<string>> PassingDependentsAsync(StackDefinition stack, IReadOnlyDictionary<string, UpdateCandidate> batch,
        ServiceTestOptions tests, CancellationToken cancellationToken)
    {
        var dependents = stack.Services.Where(s => !batch.ContainsKey(s.Name) && s.DependsOn.Any(d => batch.ContainsKey(d.Service))).ToList();
        var outcomes = await TestAsync(stack, dependents, tests, cancellationToken).ConfigureAwait(false);
        return outcomes.Where(o => o.AllPassed).Select(o => o.Service).ToHashSet(StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<ServiceTestOutcome>> TestAsync(StackDefinition stack, IReadOnlyList<ServiceDefinition> services, ServiceTestOptions tests,
        CancellationToken cancellationToken)
    {
        var outcomes = new List<ServiceTestOutcome>();
        if (services.Count > 0)
        {
            await new ServiceTester(engine, reporter).TestAsync(stack, services, tests, o => { lock (outcomes) { outcomes.Add(o); } }, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    // The updated services and the dependents that passed before, through Test-DatamancyService's checks.
    private async Task CheckAsync(StackDefinition stack, IReadOnlyDictionary<string, UpdateCandidate> batch, IReadOnlySet<string> baseline,
        Dictionary<string, string> failures, HashSet<string> passed, ServiceTestOptions tests, CancellationToken cancellationToken)
    {
        var updated = batch.Keys.Where(s => !failures.ContainsKey(s)).ToHashSet(StringComparer.Ordinal);
        var dependents = stack.Services.Where(s => baseline.Contains(s.Name) && s.DependsOn.Any(d => updated.Contains(d.Service))).ToList();
        var outcomes = await TestAsync(stack, stack.Services.Where(s => updated.Contains(s.Name)).Concat(dependents).ToList(), tests, cancellationToken).ConfigureAwait(false);
        foreach (var outcome in outcomes)
        {
            var failedChecks = outcome.Results.Where(r => !r.Passed).Select(r => $"{r.Check} ({r.Detail})").ToList();
            if (batch.ContainsKey(outcome.Service))
            {
                if (failedChecks.Count > 0)
                {
                    failures[outcome.Service] = $"its checks failed: {string.Join("; ", failedChecks)}";
                }
                else
                {
                    passed.Add(outcome.Service);
                    RecordPass(stack, outcome);
                }

                continue;
            }

            if (failedChecks.Count == 0)
            {
                continue;
            }

            // A dependent that passed before the update fails now: the update of what it depends on is to blame.
            foreach (var dependency in stack.FindService(outcome.Service)!.DependsOn.Where(d => updated.Contains(d.Service)))
            {
                failures.TryAdd(dependency.Service, $"the checks of {outcome.Service}, which depends on it, failed: {string.Join("; ", failedChecks)}");
                passed.Remove(dependency.Service);
            }
        }
    }

    private void RecordPass(StackDefinition stack, ServiceTestOutcome outcome)
    {
        if (outcome.Parts is null)
        {
            return;
        }

        try
        {
            LastPassStore.Write(LastPassStore.PathOf(stack.Directory, outcome.Service),
                new LastPassRecord(outcome.Service, outcome.Parts, DateTimeOffset.UtcNow, LastPassStore.ModuleVersion, outcome.Results.Select(r => r.Check).ToList()));
        }
        catch (DatamancyException exception)
        {
            reporter.Warning($"{outcome.Service} updated and passed its checks, but its fingerprint was not recorded: {exception.Message}");
        }
    }

    // The failed services plus every service of the batch that depends on one of them, directly or not.
    private static Dictionary<string, string> WithUpdatedDependents(StackDefinition stack, IReadOnlyDictionary<string, UpdateCandidate> batch, Dictionary<string, string> failures)
    {
        var result = new Dictionary<string, string>(failures, StringComparer.Ordinal);
        bool added;
        do
        {
            added = false;
            foreach (var service in batch.Keys.Where(s => !result.ContainsKey(s)))
            {
                if (stack.FindService(service)!.DependsOn.FirstOrDefault(d => result.ContainsKey(d.Service)) is { } dependency)
                {
                    result[service] = $"it depends on {dependency.Service}, which was rolled back";
                    added = true;
                }
            }
        }
        while (added);
        return result;
    }

    private async Task<Dictionary<string, IReadOnlyList<string>>> LastLogLinesAsync(StackDefinition stack, IReadOnlyCollection<string> services, CancellationToken cancellationToken)
    {
        var logs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (services.Count == 0)
        {
            return logs;
        }

        var live = await ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        foreach (var service in services)
        {
            if (live.TryGetValue(service, out var container))
            {
                var entries = await LogReader.ReadAllAsync(engine, container.Id, service, LogLinesKept, null, cancellationToken).ConfigureAwait(false);
                logs[service] = entries.Select(e => $"{e.Timestamp:O} {e.Stream} {e.Message}").ToList();
            }
        }

        return logs;
    }

    // Recreates the services on the images they ran before; returns the names of those that came back healthy.
    private async Task<HashSet<string>> RollBackAsync(StackDefinition stack, IReadOnlyDictionary<string, UpdateCandidate> batch, IEnumerable<string> services,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var targets = services.Where(s => batch[s].RunningImageId.Length > 0)
            .Select(s => (batch[s].Service, new ResolvedImage(batch[s].RunningImageId, false, RollbackTag.Reference(batch[s].Service.Image!, s)))).ToList();
        if (targets.Count == 0)
        {
            return [];
        }

        foreach (var (service, _) in targets)
        {
            reporter.Progress(service.Name, "rolling back to the previous image");
        }

        var failures = await RecreateAsync(stack, targets, timeout, cancellationToken).ConfigureAwait(false);
        return targets.Select(t => t.Service.Name).Where(s => !failures.ContainsKey(s)).ToHashSet(StringComparer.Ordinal);
    }

    private void Finish(StackDefinition stack, IReadOnlyList<UpdateCandidate> updates, IReadOnlyDictionary<string, LocalImage> pulled,
        IReadOnlyDictionary<string, string> rollBack, IReadOnlySet<string> rolledBack, IReadOnlyDictionary<string, IReadOnlyList<string>> logs,
        TimeSpan duration, Action<UpdateResult> emit)
    {
        foreach (var update in updates)
        {
            var name = update.Service.Name;
            var to = ImageNames.DigestFor(update.Service.Image!, pulled[update.Service.Image!].RepoDigests);
            UpdateResult result;
            if (!rollBack.TryGetValue(name, out var reason))
            {
                UpdatePins.Unpin(stack.Directory, [name]);
                result = new UpdateResult(name, update.Service.Image!, update.RunningDigest, to, UpdateStatus.Updated, string.Empty, duration, DateTimeOffset.UtcNow, stack.Directory);
            }
            else if (rolledBack.Contains(name))
            {
                UpdatePins.Pin(stack.Directory, name, new ImagePin(update.Service.Image!, update.RunningImageId, update.RunningDigest, $"{to} failed: {reason}", DateTimeOffset.UtcNow));
                result = new UpdateResult(name, update.Service.Image!, update.RunningDigest, to, UpdateStatus.RolledBack,
                    $"{reason}; back on the previous image, and held there until the next Update-DatamancyService", duration, DateTimeOffset.UtcNow, stack.Directory, ErrorIds.UpdateRolledBack);
            }
            else
            {
                var state = update.RunningImageId.Length == 0 ? "it had no previous image to go back to" : "and going back to the previous image failed too";
                result = new UpdateResult(name, update.Service.Image!, update.RunningDigest, to, UpdateStatus.Failed,
                    $"{reason}; {state}. See Get-DatamancyLog -Name {name}, then Start-DatamancyService -Name {name}", duration, DateTimeOffset.UtcNow, stack.Directory, ErrorIds.UpdateFailed);
            }

            UpdateHistory.Append(stack.Directory, result, logs.GetValueOrDefault(name));
            emit(result);
        }
    }

    // Ctrl+C: what has not passed its checks goes back to the image it ran; the next run tries again.
    private async Task PutBackUnprovenAsync(StackDefinition stack, IReadOnlyDictionary<string, UpdateCandidate> batch, IReadOnlySet<string> passed, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout + timeout);
        try
        {
            var live = await ContainerObserver.ListAsync(engine, stack.ProjectName, limit.Token).ConfigureAwait(false);
            var moved = batch.Values.Where(u => !passed.Contains(u.Service.Name) && u.RunningImageId.Length > 0
                && live.TryGetValue(u.Service.Name, out var container) && container.ImageId != u.RunningImageId).Select(u => u.Service.Name).ToList();
            if (moved.Count == 0)
            {
                return;
            }

            reporter.Warning($"Interrupted: putting {string.Join(", ", moved)} back on the image they ran before the update.");
            var back = await RollBackAsync(stack, batch, moved, timeout, limit.Token).ConfigureAwait(false);
            foreach (var name in moved)
            {
                var update = batch[name];
                UpdateHistory.Append(stack.Directory, new UpdateResult(name, update.Service.Image!, update.RunningDigest, update.RegistryDigest,
                    back.Contains(name) ? UpdateStatus.RolledBack : UpdateStatus.Failed,
                    back.Contains(name) ? "interrupted before its checks passed; back on the previous image" : "interrupted, and going back to the previous image failed",
                    TimeSpan.Zero, DateTimeOffset.UtcNow, stack.Directory, back.Contains(name) ? ErrorIds.UpdateRolledBack : ErrorIds.UpdateFailed));
            }
        }
        catch (Exception exception) when (exception is DatamancyException or OperationCanceledException)
        {
            reporter.Warning($"Interrupted, and putting the services back failed: {exception.Message}. Run Update-DatamancyService or Start-DatamancyService again.");
        }
    }
}
