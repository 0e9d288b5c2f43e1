using Datamancy.Errors;
using Xunit;

namespace Datamancy.Tests.Browser;

public sealed class BrowserExpectationParsingTests
{
    [Fact]
    public void The_expectation_is_read_from_x_datamancy_browser_and_absent_means_the_default()
    {
        using var stack = new TestStack("""
            services:
              web:
                image: busybox:1.36
                x-datamancy-browser: {title: "Nextcloud", selector: "#body-login"}
              plain:
                image: busybox:1.36
            """);
        var services = stack.Load().Services;
        var web = services.Single(s => s.Name == "web").Browser!;
        Assert.Equal(("Nextcloud", "#body-login"), (web.Title, web.Selector));
        Assert.Null(services.Single(s => s.Name == "plain").Browser);
    }

    [Theory]
    [InlineData("{title: \"\"}", ErrorIds.InvalidValue, "x-datamancy-browser.title")]
    [InlineData("{titel: Home}", ErrorIds.UnknownKey, "titel")]
    [InlineData("[Home]", ErrorIds.InvalidValue, "x-datamancy-browser")]
    public void Wrong_expectations_are_refused_with_the_key_path(string value, string errorId, string named)
    {
        var error = TestStack.LoadFails($"services:\n  a: {{image: x, x-datamancy-browser: {value}}}\n");
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(named, error.Message);
    }
}
