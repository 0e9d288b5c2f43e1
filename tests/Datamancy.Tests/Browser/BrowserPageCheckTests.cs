using System.Text.Json;
using Datamancy.Checks.Browser;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Xunit;

namespace Datamancy.Tests.Browser;

public sealed class BrowserPageCheckTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    private static IEnumerable<object> Browser(JsonElement command, string title, int status, bool found, string? navigationError = null)
    {
        var session = command.TryGetProperty("sessionId", out var s) ? s.GetString() : null;
        switch (command.GetProperty("method").GetString())
        {
            case "Target.createTarget":
                return [FakeDevTools.Result(command, new { targetId = "T1" })];
            case "Target.attachToTarget":
                return [FakeDevTools.Result(command, new { sessionId = "S1" })];
            case "Page.navigate":
                return navigationError is null
                    ? [FakeDevTools.Result(command, new { frameId = "F" }), new { method = "Page.loadEventFired", sessionId = session, @params = new { timestamp = 1 } }]
                    : [FakeDevTools.Result(command, new { frameId = "F", errorText = navigationError })];
            case "Runtime.evaluate":
                Assert.Equal("S1", session);
                var value = JsonSerializer.Serialize(new { title, status, found });
                return [FakeDevTools.Result(command, new { result = new { type = "string", value } })];
            case "Page.captureScreenshot":
                return [FakeDevTools.Result(command, new { data = Convert.ToBase64String(Png) })];
            default:
                return [FakeDevTools.Result(command, new { })];
        }
    }

    [Fact]
    public async Task A_page_with_the_expected_title_passes_and_its_screenshot_is_saved()
    {
        var shot = Path.Combine(Path.GetTempPath(), "dm-xunit-" + Guid.NewGuid().ToString("N"), "browser.png");
        await using var fake = await FakeDevTools.StartAsync(c => Browser(c, "datamancy test page", 200, true));
        var result = await BrowserPageCheck.RunAsync(fake.Connection, "https://good.stack.local/", new BrowserExpectation("test page", "h1", null), shot,
            TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.True(result.Passed, result.Detail);
        Assert.Equal($"HTTP 200, title 'datamancy test page', 'h1' found; screenshot {shot}", result.Detail);
        Assert.Equal(Png, await File.ReadAllBytesAsync(shot));
        Assert.Equal(["Target.createTarget", "Target.attachToTarget", "Page.enable", "Security.setIgnoreCertificateErrors", "Page.navigate", "Runtime.evaluate", "Page.captureScreenshot", "Target.closeTarget"],
            fake.Methods);
        Directory.Delete(Path.GetDirectoryName(shot)!, true);
    }

    [Fact]
    public async Task A_navigation_error_fails_with_the_browser_s_reason_and_closes_the_tab()
    {
        await using var fake = await FakeDevTools.StartAsync(c => Browser(c, "", 0, false, "net::ERR_NAME_NOT_RESOLVED"));
        var result = await BrowserPageCheck.RunAsync(fake.Connection, "https://x.stack.local/", BrowserExpectation.Default, "/nonexistent/browser.png",
            TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.False(result.Passed);
        Assert.Equal("the browser could not load https://x.stack.local/: net::ERR_NAME_NOT_RESOLVED", result.Detail);
        Assert.Equal("Target.closeTarget", fake.Methods[^1]);
    }

    [Fact]
    public async Task A_screenshot_that_cannot_be_written_fails_the_check_with_the_path()
    {
        var blocker = Path.Combine(Path.GetTempPath(), "dm-xunit-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(blocker, "a file where the service's folder should be");
        await using var fake = await FakeDevTools.StartAsync(c => Browser(c, "Home", 200, true));
        var result = await BrowserPageCheck.RunAsync(fake.Connection, "https://a.stack.local/", BrowserExpectation.Default, Path.Combine(blocker, "browser.png"),
            TimeSpan.FromSeconds(10), CancellationToken.None);
        File.Delete(blocker);
        Assert.False(result.Passed);
        Assert.StartsWith($"the screenshot of https://a.stack.local/ cannot be written to {Path.Combine(blocker, "browser.png")}", result.Detail);
    }

    [Fact]
    public async Task A_page_that_never_loads_fails_after_the_timeout()
    {
        await using var fake = await FakeDevTools.StartAsync(c => c.GetProperty("method").GetString() == "Page.navigate"
            ? [FakeDevTools.Result(c, new { frameId = "F" })]
            : Browser(c, "", 0, false));
        var result = await BrowserPageCheck.RunAsync(fake.Connection, "https://slow.stack.local/", BrowserExpectation.Default, "/nonexistent/browser.png",
            TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.False(result.Passed);
        Assert.Equal("the browser did not finish loading https://slow.stack.local/ within 0 s", result.Detail);
    }

    [Theory]
    [InlineData("Other page", 200, true, "title", null, false, "title was 'Other page', expected 'title'; screenshot s.png")]
    [InlineData("Welcome", 404, true, null, null, false, "HTTP 404, expected a status below 400; screenshot s.png")]
    [InlineData("", 200, true, null, null, false, "the page has no title")]
    [InlineData("", 200, true, null, "#app", true, "HTTP 200, title '', '#app' found; screenshot s.png")]
    [InlineData("Welcome", 200, false, null, "#app", false, "HTTP 200, title 'Welcome', but no element matches '#app'; screenshot s.png")]
    [InlineData("Welcome", 0, true, null, null, true, "HTTP status unknown, title 'Welcome'; screenshot s.png")]
    public void Judge_names_the_first_unmet_expectation(string title, int status, bool found, string? wantedTitle, string? selector, bool passed, string detail)
    {
        var result = BrowserPageCheck.Judge(new BrowserExpectation(wantedTitle, selector, null), status, title, found, "s.png");
        Assert.Equal(passed, result.Passed);
        Assert.StartsWith(detail, result.Detail);
    }

    [Fact]
    public async Task Without_a_screenshot_path_no_screenshot_is_taken()
    {
        await using var fake = await FakeDevTools.StartAsync(c => Browser(c, "Home", 200, true));
        var result = await BrowserPageCheck.RunAsync(fake.Connection, "https://a.stack.local/", BrowserExpectation.Default, null,
            TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("HTTP 200, title 'Home'; no screenshot (-WhatIf)", result.Detail);
        Assert.DoesNotContain("Page.captureScreenshot", fake.Methods);
    }

    [Theory]
    [InlineData("chromium")]
    [InlineData("ftp://127.0.0.1:9222")]
    [InlineData("127.0.0.1:9222")]
    public void Endpoints_that_are_not_DevTools_URLs_are_refused(string endpoint)
    {
        var error = Assert.Throws<DatamancyException>(() => BrowserEndpoint.Parse(endpoint));
        Assert.Equal(ErrorIds.InvalidBrowserEndpoint, error.ErrorId);
    }

    [Fact]
    public async Task A_browser_that_does_not_answer_is_BrowserUnreachable_and_the_query_is_not_shown()
    {
        using var stack = new TestStack("services:\n  a: {image: x}\n");
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var error = await Assert.ThrowsAsync<DatamancyException>(() =>
            BrowserEndpoint.ConnectAsync($"ws://127.0.0.1:{port}/devtools?token=secret-value", stack.Load(), TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(ErrorIds.BrowserUnreachable, error.ErrorId);
        Assert.DoesNotContain("secret-value", error.Message);
        Assert.Contains($"ws://127.0.0.1:{port}/devtools", error.Message);
    }
}
