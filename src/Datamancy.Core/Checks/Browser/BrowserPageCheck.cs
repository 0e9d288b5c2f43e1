using System.Text.Json;
using Datamancy.Stack.Model;

namespace Datamancy.Checks.Browser;

/// <summary>What the browser saw of one page: the verdict, why, and where its screenshot went.</summary>
public sealed record BrowserPageResult(bool Passed, string Detail);

/// <summary>
/// Loads one page in a new browser tab over the DevTools protocol, judges it against the service's
/// expectation, saves a PNG screenshot and closes the tab.
/// </summary>
public static class BrowserPageCheck
{
    /// <summary>Checks one page; a null screenshotPath takes no screenshot (-WhatIf writes nothing).</summary>
    public static async Task<BrowserPageResult> RunAsync(CdpConnection browser, string url, BrowserExpectation expectation, string? screenshotPath,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        string? targetId = null;
        try
        {
            var target = await browser.SendAsync("Target.createTarget", new { url = "about:blank" }, null, limit.Token).ConfigureAwait(false);
            targetId = target.GetProperty("targetId").GetString();
            var attached = await browser.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, null, limit.Token).ConfigureAwait(false);
            var session = attached.GetProperty("sessionId").GetString();
            await browser.SendAsync("Page.enable", null, session, limit.Token).ConfigureAwait(false);
            // The stack's local CA is in no browser's store (browserless's included). The Https check
            // validates the certificate against that CA; this check judges the page.
            await browser.SendAsync("Security.setIgnoreCertificateErrors", new { ignore = true }, session, limit.Token).ConfigureAwait(false);
            var loaded = browser.WaitForEventAsync("Page.loadEventFired", session, limit.Token);
            var navigation = await browser.SendAsync("Page.navigate", new { url }, session, limit.Token).ConfigureAwait(false);
            if (navigation.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } errorText)
            {
                return new BrowserPageResult(false, $"the browser could not load {url}: {errorText}");
            }

            await loaded.ConfigureAwait(false);
            var page = await EvaluateAsync(browser, session, PageScript(expectation.Selector), limit.Token).ConfigureAwait(false);
            if (screenshotPath is not null)
            {
                var shot = await browser.SendAsync("Page.captureScreenshot", new { format = "png" }, session, limit.Token).ConfigureAwait(false);
                Directory.CreateDirectory(Path.GetDirectoryName(screenshotPath)!);
                await File.WriteAllBytesAsync(screenshotPath, Convert.FromBase64String(shot.GetProperty("data").GetString()!), cancellationToken).ConfigureAwait(false);
            }

            return Judge(expectation, page.GetProperty("status").GetInt32(), page.GetProperty("title").GetString() ?? string.Empty,
                page.GetProperty("found").GetBoolean(), screenshotPath);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new BrowserPageResult(false, $"the browser did not finish loading {url} within {timeout.TotalSeconds:0} s");
        }
        catch (CdpException exception)
        {
            return new BrowserPageResult(false, $"the browser failed on {url}: {exception.Message}");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new BrowserPageResult(false, $"the screenshot of {url} cannot be written to {screenshotPath}: {exception.Message.Trim()}");
        }
        finally
        {
            if (targetId is not null)
            {
                await CloseAsync(browser, targetId).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The verdict on what the page showed; the first unmet expectation is the reason.</summary>
    public static BrowserPageResult Judge(BrowserExpectation expectation, int status, string title, bool selectorFound, string? screenshotPath)
    {
        var screenshot = screenshotPath is null ? "; no screenshot (-WhatIf)" : $"; screenshot {screenshotPath}";
        var shown = $"HTTP {(status == 0 ? "status unknown" : status)}, title '{title}'";
        string? failure = status >= 400 ? $"HTTP {status}, expected a status below 400"
            : expectation.Title is { } wanted && !title.Contains(wanted, StringComparison.Ordinal) ? $"title was '{title}', expected '{wanted}'"
            : expectation.Title is null && expectation.Selector is null && string.IsNullOrWhiteSpace(title) ? "the page has no title (declare x-datamancy-browser: {selector: ...} if it never has one)"
            : expectation.Selector is { } selector && !selectorFound ? $"{shown}, but no element matches '{selector}'"
            : null;
        return failure is null
            ? new BrowserPageResult(true, $"{shown}{(expectation.Selector is { } s ? $", '{s}' found" : string.Empty)}{screenshot}")
            : new BrowserPageResult(false, $"{failure}{screenshot}");
    }

    // The navigation entry carries the document's HTTP status (Chromium 109 and later).
    private static string PageScript(string? selector) =>
        "JSON.stringify({title: document.title, " +
        "status: (performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0, " +
        $"found: {(selector is null ? "true" : $"document.querySelector({JsonSerializer.Serialize(selector)}) !== null")}}})";

    private static async Task<JsonElement> EvaluateAsync(CdpConnection browser, string? session, string expression, CancellationToken cancellationToken)
    {
        var evaluated = await browser.SendAsync("Runtime.evaluate", new { expression, returnByValue = true }, session, cancellationToken).ConfigureAwait(false);
        if (evaluated.TryGetProperty("exceptionDetails", out var exception))
        {
            var text = exception.TryGetProperty("exception", out var e) && e.TryGetProperty("description", out var d) ? d.GetString() : exception.ToString();
            throw new CdpException($"the page's script failed: {text}");
        }

        return JsonDocument.Parse(evaluated.GetProperty("result").GetProperty("value").GetString()!).RootElement.Clone();
    }

    private static async Task CloseAsync(CdpConnection browser, string targetId)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await browser.SendAsync("Target.closeTarget", new { targetId }, null, limit.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is CdpException or OperationCanceledException)
        {
            // The tab goes with the browser's connection anyway.
        }
    }
}
