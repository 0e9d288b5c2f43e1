using Datamancy.Errors;
using Datamancy.Reporting;
using Datamancy.Stack.Model;

namespace Datamancy.Updates;

/// <summary>
/// Which checked services an update run takes on, and why the others are left as they are. A
/// registry that could not be asked stops the whole run before anything changes.
/// </summary>
public static class UpdateSelection
{
    public static (IReadOnlyList<UpdateCandidate> Updates, IReadOnlyList<UpdateResult> Unchanged) Decide(StackDefinition stack,
        IReadOnlyList<UpdateCandidate> candidates, bool includeExcluded, IReadOnlySet<string> namedExactly, IReporter reporter)
    {
        var unreachable = candidates.Where(c => c.Error is not null && (includeExcluded || !c.Excluded)).ToList();
        if (unreachable.Count > 0)
        {
            throw new DatamancyException(ErrorIds.RegistryUnavailable, ErrorKind.ConnectionError,
                $"Nothing was updated: {string.Join("; ", unreachable.Select(c => $"{c.Service.Name} ({c.Service.Image}): {c.Error}"))}. Make the registry reachable (or log in with 'docker login'), then run again.",
                unreachable[0].Service.Name);
        }

        var updates = new List<UpdateCandidate>();
        var unchanged = new List<UpdateResult>();
        foreach (var candidate in candidates)
        {
            var name = candidate.Service.Name;
            string? reason = null;
            if (candidate.Excluded && !includeExcluded)
            {
                reason = $"excluded from updates by its label {UpdateCandidate.ExcludeLabel}=false; add -IncludeExcluded to update it";
                if (namedExactly.Contains(name))
                {
                    reporter.Warning($"{name} is not updated: {reason}.");
                }
            }
            else if (candidate.Container is null)
            {
                reason = $"it has no container; Start-DatamancyService -Name {name} starts it on the registry's image";
            }
            else if (candidate.UpdateAvailable != true)
            {
                reason = $"up to date ({candidate.RunningDigest})";
            }

            if (reason is null)
            {
                updates.Add(candidate);
            }
            else
            {
                unchanged.Add(new UpdateResult(name, candidate.Service.Image!, candidate.RunningDigest, candidate.RegistryDigest, UpdateStatus.Unchanged,
                    reason, TimeSpan.Zero, DateTimeOffset.UtcNow, stack.Directory));
            }
        }

        return (updates, unchanged);
    }
}
