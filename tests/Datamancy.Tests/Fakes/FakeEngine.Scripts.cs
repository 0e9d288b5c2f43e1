using Datamancy.Engine;

namespace Datamancy.Tests.Fakes;

// What containers do by themselves: the state changes of a start and a stop, and the scripts that
// make a started container healthy, unhealthy or exit.
public sealed partial class FakeEngine
{
    private readonly List<(Func<FakeContainer, bool> Matches, ContainerScript Script)> _scripts = [];

    /// <summary>What the containers of a service (or with that name) do once started; the last script given wins.</summary>
    public FakeEngine Script(string serviceOrName, ContainerScript script) => Script(c => c.Service == serviceOrName || c.Name == serviceOrName, script);

    public FakeEngine Script(Func<FakeContainer, bool> matches, ContainerScript script)
    {
        lock (_lock)
        {
            _scripts.Add((matches, script));
        }

        return this;
    }

    private void Start(FakeContainer container)
    {
        container.State = ContainerState.Running;
        container.Stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        container.ExitCode = 0;
        container.Health = container.HasHealthcheck ? HealthStatus.Starting : HealthStatus.None;
        var generation = ++container.Generation;
        Emit(container, "start");
        var script = _scripts.LastOrDefault(s => s.Matches(container)).Script ?? (container.HasHealthcheck ? ContainerScript.Healthy : null);
        if (script is not null && (script.ExitCode is not null || (script.Health is not null && container.HasHealthcheck)))
        {
            _ = RunScriptAsync(container, generation, script);
        }
    }

    // A healthcheck runs at every interval while the container runs, so its verdict is told again and
    // again (as the engine's health checks do), and a watcher that recorded a state just after the
    // first report still hears it. An exit happens once.
    private async Task RunScriptAsync(FakeContainer container, int generation, ContainerScript script)
    {
        while (true)
        {
            try
            {
                await Task.Delay(script.After, _closed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_lock)
            {
                if (container.Generation != generation || !container.IsRunning)
                {
                    return;
                }

                if (script.Health is { } health && container.HasHealthcheck)
                {
                    container.Health = health;
                    container.HealthOutput = script.HealthOutput;
                    Emit(container, "health_status: " + health.ToString().ToLowerInvariant());
                }

                if (script.ExitCode is { } code)
                {
                    Stop(container, code);
                    return;
                }

                if (script.Health is null)
                {
                    return;
                }
            }
        }
    }

    private void Stop(FakeContainer container, long exitCode)
    {
        container.Generation++;
        container.Stopped.TrySetResult();
        container.State = ContainerState.Exited;
        container.ExitCode = exitCode;
        Emit(container, "die", new Dictionary<string, string> { ["exitCode"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Emit(container, "stop");
    }
}
