using Datamancy.Engine;
using Datamancy.Stack.Model;
using Datamancy.Yaml;
using Xunit;

namespace Datamancy.Tests;

public sealed class StartQueueTests
{
    private static readonly SourceMark Mark = new("docker-compose.yml", 1, 1);

    // The bench's shape in small: a chain proxy <- auth <- app, a pair metrics <- alerts, a loner.
    private static readonly ServiceDefinition[] Services =
    [
        Service("proxy"), Service("auth", "proxy"), Service("app", "auth"),
        Service("metrics"), Service("alerts", "metrics"), Service("loner"),
    ];

    [Fact]
    public void Urgency_is_the_longest_chain_through_a_service()
    {
        var urgencies = StartQueue.Urgencies(Services);

        Assert.Equal(3, urgencies["proxy"]);
        Assert.Equal(3, urgencies["auth"]);
        Assert.Equal(3, urgencies["app"]);
        Assert.Equal(2, urgencies["metrics"]);
        Assert.Equal(2, urgencies["alerts"]);
        Assert.Equal(1, urgencies["loner"]);
    }

    [Fact]
    public void A_dependency_outside_the_plan_does_not_count()
    {
        var urgencies = StartQueue.Urgencies([Service("app", "db")]);

        Assert.Equal(1, Assert.Single(urgencies).Value);
    }

    [Fact]
    public async Task Waiting_starts_get_their_turn_most_urgent_first_and_the_longest_chain_never_waits()
    {
        var queue = new StartQueue(1, Services);
        var first = await queue.EnterAsync("loner", default);
        var lonerWaits = queue.EnterAsync("loner", default);
        var alertsWaits = queue.EnterAsync("alerts", default);
        var chain = queue.EnterAsync("auth", default);

        Assert.True(chain.IsCompletedSuccessfully);
        Assert.False(lonerWaits.IsCompleted);
        Assert.False(alertsWaits.IsCompleted);

        first.Dispose();
        (await alertsWaits.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.False(lonerWaits.IsCompleted);
        (await chain).Dispose();
        (await lonerWaits.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task A_cancelled_wait_gives_its_turn_to_the_next()
    {
        var queue = new StartQueue(1, Services);
        var held = await queue.EnterAsync("loner", default);
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.EnterAsync("alerts", cancel.Token);
        var next = queue.EnterAsync("loner", default);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        held.Dispose();
        held.Dispose();   // a second dispose gives nothing back twice
        var turn = await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(queue.EnterAsync("loner", default).IsCompleted);
        turn.Dispose();
    }

    private static ServiceDefinition Service(string name, params string[] dependsOn) => new()
    {
        Name = name,
        Mark = Mark,
        DependsOn = dependsOn.Select(d => new ServiceDependency(d, ServiceDependency.Healthy, true, false, Mark)).ToList(),
    };
}
