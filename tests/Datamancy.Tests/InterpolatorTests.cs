using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Yaml;

namespace Datamancy.Tests;

public sealed class InterpolatorTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["SET"] = "value",
        ["EMPTY"] = "",
        ["other_Case"] = "mixed",
        ["NESTED"] = "inner",
    };

    private static readonly SourceMark Mark = new("docker-compose.yml", 7, 12);

    private static string Run(string template, List<string>? warnings = null) =>
        new Interpolator(n => Variables.TryGetValue(n, out var v) ? v : null, w => warnings?.Add(w)).Interpolate(template, Mark);

    // The interpolation table of the compose spec (and compose-go for :+ and +).
    [Theory]
    [InlineData("$SET", "value")]
    [InlineData("${SET}", "value")]
    [InlineData("a${SET}b", "avalueb")]
    [InlineData("$SET-x", "value-x")]
    [InlineData("${other_Case}", "mixed")]
    [InlineData("${UNSET:-d}", "d")]
    [InlineData("${EMPTY:-d}", "d")]
    [InlineData("${SET:-d}", "value")]
    [InlineData("${UNSET-d}", "d")]
    [InlineData("${EMPTY-d}", "")]
    [InlineData("${SET-d}", "value")]
    [InlineData("${SET:?must be set}", "value")]
    [InlineData("${EMPTY?may be empty}", "")]
    [InlineData("${SET:+r}", "r")]
    [InlineData("${EMPTY:+r}", "")]
    [InlineData("${UNSET:+r}", "")]
    [InlineData("${SET+r}", "r")]
    [InlineData("${EMPTY+r}", "r")]
    [InlineData("${UNSET+r}", "")]
    [InlineData("$$", "$")]
    [InlineData("$$SET", "$SET")]
    [InlineData("$${SET}", "${SET}")]
    [InlineData("${UNSET:-${NESTED}}", "inner")]
    [InlineData("${UNSET:-${ALSO_UNSET:-deep}}", "deep")]
    [InlineData("${UNSET:-a}${SET}", "avalue")]
    [InlineData("${UNSET:-x:y}", "x:y")]
    [InlineData("no variables", "no variables")]
    [InlineData("${UNSET}", "")]
    public void Interpolates_like_compose(string template, string expected) => Assert.Equal(expected, Run(template));

    [Fact]
    public void Unset_variable_without_default_warns_with_its_name_and_place()
    {
        var warnings = new List<string>();
        Assert.Equal("x", Run("x$UNSET", warnings));
        var warning = Assert.Single(warnings);
        Assert.Contains("UNSET", warning);
        Assert.StartsWith("docker-compose.yml:7:12", warning);
    }

    [Theory]
    [InlineData("${UNSET:?set it}", "not set")]
    [InlineData("${EMPTY:?set it}", "empty")]
    [InlineData("${UNSET?set it}", "not set")]
    public void Required_variable_missing_is_an_error_naming_the_variable(string template, string state)
    {
        var error = Assert.Throws<DatamancyException>(() => Run(template));
        Assert.Equal(ErrorIds.VariableRequired, error.ErrorId);
        Assert.StartsWith("docker-compose.yml:7:12:", error.Message);
        var name = template.Contains("EMPTY") ? "EMPTY" : "UNSET";
        Assert.Contains($"variable {name}", error.Message);
        Assert.Contains(state, error.Message);
        Assert.Contains("set it", error.Message);
    }

    [Fact]
    public void Default_is_interpolated_eagerly_as_compose_go_does()
    {
        var error = Assert.Throws<DatamancyException>(() => Run("${SET:-${UNSET:?inner}}"));
        Assert.Equal(ErrorIds.VariableRequired, error.ErrorId);
        Assert.Contains("UNSET", error.Message);
    }

    [Theory]
    [InlineData("$")]
    [InlineData("a $ b")]
    [InlineData("$1")]
    [InlineData("${}")]
    [InlineData("${SET")]
    [InlineData("${SET/a/b}")]
    [InlineData("${1A}")]
    public void Invalid_templates_are_refused_with_the_place(string template)
    {
        var error = Assert.Throws<DatamancyException>(() => Run(template));
        Assert.Equal(ErrorIds.InvalidInterpolation, error.ErrorId);
        Assert.StartsWith("docker-compose.yml:7:12:", error.Message);
    }
}
