using Datamancy.Security;
using Datamancy.Security.Secrets;
using Datamancy.Stack;

namespace Datamancy.Tests.Security;

/// <summary>Strength estimates, .env edits and password verifiers, against known values.</summary>
public sealed class SecretPrimitivesTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData("changeme", true)]
    [InlineData("Password1!", true)]
    [InlineData("admin", true)]
    [InlineData("your_api_key_here", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", false)]
    [InlineData("pass<word>With-Symbols-x7Q", false)]
    public void Placeholders_are_recognised(string value, bool placeholder) => Assert.Equal(placeholder, SecretStrength.IsPlaceholder(value));

    [Theory]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 256)]
    [InlineData("0123456789abcdef0123456789abcdee", 128)]
    [InlineData("1234567890", 33.2)]
    [InlineData("xyzxyzxyzxyz", 14.1)]
    public void Entropy_is_estimated_from_charset_length_and_repetition(string value, double bits) =>
        Assert.Equal(bits, SecretStrength.EstimateBits(value), 1);

    [Fact]
    public void Generated_secrets_are_strong() => Assert.False(SecretStrength.IsWeak(SecretGenerator.NewHexSecret()));

    [Fact]
    public void Env_editor_replaces_the_last_assignment_and_keeps_everything_else()
    {
        const string Text = "# comment\nA=1\nexport B=\"two\nlines\"\nC=3\r\nA=again\n";
        var located = EnvFileEditor.Locate(Text);
        Assert.Equal((5, 1), (located["A"].Line, located["A"].LineCount));
        Assert.Equal((2, 2), (located["B"].Line, located["B"].LineCount));

        Assert.Equal("# comment\nA=1\nexport B=\"two\nlines\"\nC=3\r\nA=new\n", EnvFileEditor.Set(Text, "A", "new"));
        Assert.Equal("# comment\nA=1\nexport B=x\nC=3\r\nA=again\n", EnvFileEditor.Set(Text, "B", "x"));
        Assert.Equal("# comment\nA=1\nexport B=\"two\nlines\"\nC=x\r\nA=again\n", EnvFileEditor.Set(Text, "C", "x"));
        Assert.Equal("A=1\nD=4\n", EnvFileEditor.Set("A=1", "D", "4"));
    }

    [Fact]
    public void Verifiers_match_known_values()
    {
        Assert.Equal("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19", PasswordHashes.MySqlNative("password"));
        Assert.Equal("SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$zHCdol2044/ZyWzPLi7oxApCkamKw9Z+E4U/QApd/5Y=:dd5peBOitVnLNFu7VmwP+HiDaaw4OUCv396eVCWhYiE=",
            PasswordHashes.ScramSha256("pencil", [.. Enumerable.Range(0, 16).Select(i => (byte)i)]));
        Assert.Equal("{SSHA}cqVbhtveg6UlUYb4hGPrp7XYoikAAQIDBAUGBw==", PasswordHashes.Ssha("secret", [.. Enumerable.Range(0, 8).Select(i => (byte)i)]));
        Assert.NotEqual(PasswordHashes.ScramSha256("pencil"), PasswordHashes.ScramSha256("pencil"));
    }
}
