using System.Text.Json;
using Datamancy.Checks.Browser;
using Xunit;

namespace Datamancy.Tests.Browser;

public sealed class CdpConnectionTests
{
    [Fact]
    public async Task Responses_are_matched_to_their_commands_by_id_and_session()
    {
        JsonElement? held = null;
        await using var fake = await FakeDevTools.StartAsync(command =>
        {
            // The first command is answered only after the second: responses arrive out of order.
            if (held is null)
            {
                held = command.Clone();
                return [];
            }

            return
            [
                FakeDevTools.Result(command, new { echo = command.GetProperty("sessionId").GetString() }),
                FakeDevTools.Result(held.Value, new { echo = "first" }),
            ];
        });
        var first = fake.Connection.SendAsync("Browser.getVersion", null, null, CancellationToken.None);
        await Task.Delay(50);
        var second = await fake.Connection.SendAsync("Page.enable", null, "S1", CancellationToken.None);
        Assert.Equal("S1", second.GetProperty("echo").GetString());
        Assert.Equal("first", (await first).GetProperty("echo").GetString());
    }

    [Fact]
    public async Task A_protocol_error_becomes_a_CdpException_with_the_browser_s_message()
    {
        await using var fake = await FakeDevTools.StartAsync(command =>
            [new { id = command.GetProperty("id").GetInt32(), error = new { code = -32601, message = "'Nope.nothing' wasn't found" } }]);
        var error = await Assert.ThrowsAsync<CdpException>(() => fake.Connection.SendAsync("Nope.nothing", null, null, CancellationToken.None));
        Assert.Equal("'Nope.nothing' wasn't found", error.Message);
    }

    [Fact]
    public async Task Events_reach_the_waiter_of_their_session_only()
    {
        await using var fake = await FakeDevTools.StartAsync(command =>
        [
            new { method = "Page.loadEventFired", sessionId = "other", @params = new { timestamp = 1.0 } },
            new { method = "Page.loadEventFired", sessionId = "mine", @params = new { timestamp = 2.0 } },
            FakeDevTools.Result(command, new { }),
        ]);
        var loaded = fake.Connection.WaitForEventAsync("Page.loadEventFired", "mine", CancellationToken.None);
        await fake.Connection.SendAsync("Page.navigate", new { url = "https://a.stack.local/" }, "mine", CancellationToken.None);
        Assert.Equal(2.0, (await loaded.WaitAsync(TimeSpan.FromSeconds(5))).GetProperty("timestamp").GetDouble());
    }

    [Fact]
    public async Task A_browser_that_goes_away_fails_the_commands_it_had_not_answered()
    {
        await using var fake = await FakeDevTools.StartAsync(_ => []);
        var pending = fake.Connection.SendAsync("Page.navigate", null, "s", CancellationToken.None);
        var waiting = fake.Connection.WaitForEventAsync("Page.loadEventFired", "s", CancellationToken.None);
        await Task.Delay(50);
        await fake.CloseAsync();
        Assert.Contains("closed the DevTools connection", (await Assert.ThrowsAsync<CdpException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)))).Message);
        await Assert.ThrowsAsync<CdpException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_message_of_the_wrong_shape_is_ignored_and_the_next_answer_still_arrives()
    {
        await using var fake = await FakeDevTools.StartAsync(command =>
        [
            new { method = 42 },
            "not an object",
            FakeDevTools.Result(command, new { ok = true }),
        ]);
        var result = await fake.Connection.SendAsync("Browser.getVersion", null, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(result.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_command_sent_after_the_browser_went_away_fails_at_once()
    {
        await using var fake = await FakeDevTools.StartAsync(_ => []);
        await fake.CloseAsync();
        await Task.Delay(200);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => fake.Connection.SendAsync("Page.enable", null, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(error is CdpException or System.Net.WebSockets.WebSocketException, error.ToString());
    }

    [Fact]
    public async Task Cancelling_a_command_ends_it_without_an_answer()
    {
        await using var fake = await FakeDevTools.StartAsync(_ => []);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fake.Connection.SendAsync("Page.navigate", null, null, cancel.Token));
    }
}
