using System.Globalization;
using System.Text.RegularExpressions;
using Datamancy.Stack.Model;

namespace Datamancy.Checks;

/// <summary>The checks made from the engine's view alone: the service's container, and those of its dependencies.</summary>
public static partial class ContainerChecks
{
    /// <summary>
    /// Running and healthy (or running without a healthcheck); for a one-shot job, exited with code 0.
    /// On a swarm the state is the service's (SwarmLiveStates), and the detail adds its Status: tasks running of desired, and nodes.
    /// </summary>
    public static (bool Passed, string Detail) Container(ServiceDefinition service, LiveState state, Orchestrator orchestrator = Orchestrator.Compose)
    {
        var swarm = orchestrator == Orchestrator.Swarm;
        var start = swarm
            ? $"start it with Start-DatamancyProfile -Orchestrator Swarm -Name {string.Join(", ", service.Profiles.DefaultIfEmpty("'*'"))}"
            : $"start it with Start-DatamancyService -Name {service.Name}";
        if (state.State is ContainerState.Absent or ContainerState.Unknown)
        {
            return (false, $"{(swarm ? "no swarm service" : "no container")}; {start}");
        }

        if (service.IsJob)
        {
            return state.State switch
            {
                ContainerState.Exited when ExitCode(state) == 0 => (true, $"completed: {state.Status}"),
                ContainerState.Exited => (false, $"the job failed: {state.Status}; see Get-DatamancyLog -Name {service.Name}"),
                ContainerState.Running => (false, "the job is still running; test again when it has finished"),
                _ => (false, $"the job has not run ({Word(state.State)}); {start}"),
            };
        }

        if (state.State != ContainerState.Running)
        {
            return (false, $"not running: {state.Status} ({Word(state.State)}); {start}");
        }

        var (passed, detail) = state.Health switch
        {
            HealthStatus.Healthy => (true, "running, healthy"),
            // A swarm spec without a healthcheck may still run the image's own, which the spec does not show.
            HealthStatus.None => (true, swarm ? "running" : "running (it has no healthcheck)"),
            HealthStatus.Starting => (false, "running, but its healthcheck has not passed yet (starting); test again in a moment"),
            _ => (false, $"running, but {Word(state.Health)}; see Get-DatamancyLog -Name {service.Name}"),
        };
        return swarm ? (passed, $"{detail}: {state.Status}") : (passed, detail);
    }

    /// <summary>Each dependency in the state its depends_on condition asks for; null when the service has none.</summary>
    public static (bool Passed, string Detail)? Dependencies(StackDefinition stack, ServiceDefinition service, Func<string, LiveState> stateOf)
    {
        if (service.DependsOn.Count == 0)
        {
            return null;
        }

        var failed = new List<string>();
        var passed = new List<string>();
        foreach (var dependency in service.DependsOn)
        {
            if (stack.FindService(dependency.Service) is null)
            {
                passed.Add($"{dependency.Service}: optional and not in the stack");
                continue;
            }

            var state = stateOf(dependency.Service);
            var (ok, seen) = dependency.Condition switch
            {
                ServiceDependency.Healthy => (state.State == ContainerState.Running && state.Health == HealthStatus.Healthy, Describe(state)),
                ServiceDependency.CompletedSuccessfully => (state.State == ContainerState.Exited && ExitCode(state) == 0, Describe(state)),
                _ => (state.State == ContainerState.Running, Describe(state)),
            };
            if (ok)
            {
                passed.Add($"{dependency.Service}: {seen}");
            }
            else
            {
                failed.Add($"{dependency.Service}: {seen}, but {service.Name} needs {dependency.Condition}");
            }
        }

        return failed.Count == 0 ? (true, string.Join("; ", passed)) : (false, string.Join("; ", failed));
    }

    private static string Describe(LiveState state) => state.State switch
    {
        ContainerState.Absent or ContainerState.Unknown => "no container",
        ContainerState.Running when state.Health is HealthStatus.Healthy or HealthStatus.Unhealthy or HealthStatus.Starting => $"running, {Word(state.Health)}",
        ContainerState.Running => "running",
        _ => $"{Word(state.State)} ({state.Status})",
    };

    // States read as words in a sentence.
    private static string Word<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The exit code in the engine's status text ("Exited (0) 3 minutes ago"), or null.</summary>
    public static int? ExitCode(LiveState state) =>
        ExitedPattern().Match(state.Status) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^Exited \((-?\d+)\)")]
    private static partial Regex ExitedPattern();
}
