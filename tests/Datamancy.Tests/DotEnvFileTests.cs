using Datamancy.Errors;
using Datamancy.Stack;

namespace Datamancy.Tests;

public sealed class DotEnvFileTests
{
    private static IReadOnlyDictionary<string, string> Parse(string text, Dictionary<string, string>? environment = null) =>
        DotEnvFile.Parse(".env", text, n => environment is not null && environment.TryGetValue(n, out var v) ? v : null);

    [Fact]
    public void Reads_plain_quoted_exported_and_commented_values()
    {
        var values = Parse("""
            # a comment
            A=1
            export B=two
            C = spaced # inline comment
            D='single $A #kept'
            E="double $A\n"
            F=
            G=a#b
            """);
        Assert.Equal("1", values["A"]);
        Assert.Equal("two", values["B"]);
        Assert.Equal("spaced", values["C"]);
        Assert.Equal("single $A #kept", values["D"]);
        Assert.Equal("double 1\n", values["E"]);
        Assert.Equal("", values["F"]);
        Assert.Equal("a#b", values["G"]);
    }

    [Fact]
    public void Values_use_the_environment_first_then_earlier_lines()
    {
        var values = Parse("HOST=db\nURL=postgres://$HOST/${NAME:-app}\nESCAPED=\"cost \\$5\"", new() { ["NAME"] = "prod" });
        Assert.Equal("postgres://db/prod", values["URL"]);
        Assert.Equal("cost $5", values["ESCAPED"]);
    }

    [Theory]
    [InlineData("JUSTAKEY", 1)]
    [InlineData("A=1\n1BAD=2", 2)]
    [InlineData("A=1\nB='open", 2)]
    public void Malformed_lines_are_refused_with_the_line(string text, int line)
    {
        var error = Assert.Throws<DatamancyException>(() => Parse(text));
        Assert.Equal(ErrorIds.EnvFileSyntax, error.ErrorId);
        Assert.StartsWith($".env:{line}:1:", error.Message);
    }
}
