using Datamancy.Errors;
using Datamancy.Yaml;

namespace Datamancy.Tests;

/// <summary>YAML mistakes are told in the module's words at file:line:column, never in the parser's.</summary>
public sealed class YamlSyntaxMessageTests
{
    private static DatamancyException ReadFails(string yaml) =>
        Assert.Throws<DatamancyException>(() => YamlDocumentReader.Read("compose.yml", yaml));

    private static void AssertModuleVoice(DatamancyException error)
    {
        Assert.Equal(ErrorIds.YamlSyntax, error.ErrorId);
        Assert.DoesNotContain("While ", error.Message);
        Assert.DoesNotContain("..", error.Message);
        Assert.DoesNotContain("Idx:", error.Message);
        Assert.EndsWith(".", error.Message);
    }

    [Theory]
    [InlineData("services:\n  app:\n    image: [oops\n", "compose.yml:3:12:", "the list opened here with '[' is not closed with ']'")]
    [InlineData("services:\n  app:\n    ports: [80,\n    image: x\n", "compose.yml:3:12:", "the list opened here with '[' is not closed with ']'")]
    [InlineData("services:\n  app: {image: x\n", "compose.yml:2:8:", "the mapping opened here with '{' is not closed with '}'")]
    [InlineData("services:\n  app:\n    image: x\n   restart: always\n", "compose.yml:4:", "does not line up with the keys above it")]
    [InlineData("services:\n  app:\n    image: a: b\n", "compose.yml:3:", "a value that holds ': ' needs quotes")]
    [InlineData("services:\n  app\n  image: x\n", "compose.yml:", "the line above may lack the ':' after its key")]
    [InlineData("services:\n  app:\n    image: \"x\n", "compose.yml:3:12:", "the quoted string that starts here is never closed")]
    [InlineData("services:\n  app:\n    - a\n    b: c\n", "compose.yml:4:", "the items of one list each start with '- '")]
    [InlineData("a: \"\\q\"\n", "compose.yml:1:", "unknown escape sequence")]
    [InlineData("a: @x\n", "compose.yml:1:4:", "the character '@' cannot start a value; put the value in quotes")]
    [InlineData("a: [1,,2]\n", "compose.yml:1:", "a value is missing here")]
    [InlineData("services:\n  app: *nope\n", "compose.yml:2:", "the alias '*nope' refers to no anchor")]
    [InlineData("services:\n  app:\n    image: a\n    image: b\n", "compose.yml:4:5:", "duplicate key 'image'")]
    public void Common_mistakes_get_a_sentence_that_says_what_to_fix(string yaml, string place, string sentence)
    {
        var error = ReadFails(yaml);
        AssertModuleVoice(error);
        Assert.StartsWith(place, error.Message);
        Assert.Contains(sentence, error.Message);
    }

    [Theory]
    [InlineData("services:\n\tapp:\n    image: x\n", 2, 1)]
    [InlineData("services:\n  app:\n\timage: x\n", 3, 1)]
    [InlineData("services:\n  app:\n  \t  image: x\n", 3, 3)]
    [InlineData("a:\n  - 1\n\t- 2\n", 3, 1)]
    [InlineData("\ta: 1\n", 1, 1)]
    [InlineData("a: 1\n\t# a comment\nb: 2\n", 2, 1)]
    public void A_tab_in_the_indentation_is_named_with_its_line(string yaml, int line, int column)
    {
        var error = ReadFails(yaml);
        AssertModuleVoice(error);
        Assert.Equal($"compose.yml:{line}:{column}: line {line} uses a tab for indentation; YAML allows only spaces. Replace the tab with spaces.", error.Message);
    }

    [Theory]
    [InlineData("a: |\n    x\n    \ty\n")]
    [InlineData("a: \"x\n  \ty\"\n")]
    [InlineData("a: x\tb\n")]
    public void A_tab_inside_a_value_is_content(string yaml) => Assert.IsType<YMapping>(YamlDocumentReader.Read("compose.yml", yaml));

    [Fact]
    public void The_parser_error_stays_as_the_inner_exception()
    {
        var error = ReadFails("a: [1\n");
        Assert.NotNull(error.InnerException);
    }
}
