using System.Globalization;
using System.Text.RegularExpressions;
using Datamancy.Stack.Model;

namespace Datamancy.Checks;

/// <summary>The checks made from the engine's view alone: the service's container, and those of its dependencies.</summary>
public static partial class ContainerChecks
{
    /// <summary>Running and healthy (or running without a healthcheck); for a one-shot job, exited with code 0.</summary>
    public static (bool Passed, string Detail) Container(ServiceDefinition service, LiveState state)
    {
        var start = $"start it with Start-DatamancyService -Name {service.Name}";
        if (state.State is "absent" or "unknown")
        {
            return (false, $"no container; {start}");
        }

        if (service.IsJob)
        {
            return state.State switch
            {
                "exited" when ExitCode(state) == 0 => (true, $"completed: {state.Status}"),
                "exited" => (false, $"the job failed: {state.Status}; see Get-DatamancyLog -Name {service.Name}"),
                "running" => (false, "the job is still running; test again when it has finished"),
                _ => (false, $"the job has not run ({state.State}); {start}"),
            };
        }

        if (state.State != "running")
        {
            return (false, $"not running: {state.Status} ({state.State}); {start}");
        }

        return state.Health switch
        {
            "healthy" => (true, "running, healthy"),
            "none" => (true, "running (it has no healthcheck)"),
            "starting" => (false, "running, but its healthcheck has not passed yet (starting); test again in a moment"),
            _ => (false, $"running, but {state.Health}; see Get-DatamancyLog -Name {service.Name}"),
        };
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
                ServiceDependency.Healthy => (state.State == "running" && state.Health == "healthy", Describe(state)),
                ServiceDependency.CompletedSuccessfully => (state.State == "exited" && ExitCode(state) == 0, Describe(state)),
                _ => (state.State == "running", Describe(state)),
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
        "absent" or "unknown" => "no container",
        "running" when state.Health is "healthy" or "unhealthy" or "starting" => $"running, {state.Health}",
        "running" => "running",
        _ => $"{state.State} ({state.Status})",
    };

    /// <summary>The exit code in the engine's status text ("Exited (0) 3 minutes ago"), or null.</summary>
    public static int? ExitCode(LiveState state) =>
        ExitedPattern().Match(state.Status) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^Exited \((-?\d+)\)")]
    private static partial Regex ExitedPattern();
}
