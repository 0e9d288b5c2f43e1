using System.Security;
using Datamancy.Errors;
using Datamancy.Identity;

namespace Datamancy.Tests;

/// <summary>Which names, mail addresses and passwords the directory cmdlets accept.</summary>
public sealed class DirectoryNamesTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("j.doe")]
    [InlineData("a")]
    [InlineData("a-b_c.d9")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void New_user_names_of_the_pattern_are_accepted(string name) => DirectoryNames.CheckNewUserName(name);

    [Theory]
    [InlineData("")]
    [InlineData("Alice")]
    [InlineData("1abc")]
    [InlineData("*")]
    [InlineData(")(")]
    [InlineData("*)(uid=*")]
    [InlineData("\\")]
    [InlineData("a\0b")]
    [InlineData("#lead")]
    [InlineData("a,b")]
    [InlineData("josé")]
    [InlineData("alice\n")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void Other_new_user_names_are_refused_with_InvalidUserName(string name)
    {
        var error = Assert.Throws<DatamancyException>(() => DirectoryNames.CheckNewUserName(name));
        Assert.Equal(ErrorIds.InvalidUserName, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain('\0', error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("josé")]
    [InlineData("a,b")]
    [InlineData("*)(uid=*")]
    [InlineData("#lead")]
    [InlineData("日本")]
    public void Existing_names_may_hold_any_printable_text(string name) => DirectoryNames.CheckExistingName(name, isGroup: false);

    [Theory]
    [InlineData("a\0b", false, ErrorIds.InvalidUserName)]
    [InlineData("line\nbreak", false, ErrorIds.InvalidUserName)]
    [InlineData("", true, ErrorIds.InvalidGroupName)]
    public void Existing_names_with_control_characters_are_refused(string name, bool isGroup, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<DatamancyException>(() => DirectoryNames.CheckExistingName(name, isGroup)).ErrorId);

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        var name = new string([(char)0xD800, 'x']);
        Assert.Equal(ErrorIds.InvalidGroupName, Assert.Throws<DatamancyException>(() => DirectoryNames.CheckExistingName(name, isGroup: true)).ErrorId);
    }

    [Fact]
    public void Existing_names_are_limited_to_256_characters()
    {
        DirectoryNames.CheckExistingName(new string('a', 256), isGroup: false);
        Assert.Throws<DatamancyException>(() => DirectoryNames.CheckExistingName(new string('a', 257), isGroup: false));
    }

    [Theory]
    [InlineData("alice@stack.local")]
    [InlineData("a.b+c@example.com")]
    [InlineData("root@localhost")]
    public void Mail_addresses_are_accepted(string mail) => DirectoryNames.CheckMail(mail);

    [Theory]
    [InlineData("alice")]
    [InlineData("a@b@c")]
    [InlineData("a b@c.d")]
    [InlineData("alice@")]
    [InlineData("alice@example.com\n")]
    [InlineData("x@-bad.com")]
    [InlineData("(x)@example.com")]
    public void Malformed_mail_addresses_are_refused(string mail) =>
        Assert.Equal(ErrorIds.InvalidMailAddress, Assert.Throws<DatamancyException>(() => DirectoryNames.CheckMail(mail)).ErrorId);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    public void Display_names_need_printable_text(string displayName) =>
        Assert.Equal(ErrorIds.InvalidValue, Assert.Throws<DatamancyException>(() => DirectoryNames.CheckDisplayName(displayName)).ErrorId);

    [Fact]
    public void Generated_passwords_are_long_random_and_read_only()
    {
        var first = Passwords.Generate();
        var second = Passwords.Generate();
        Assert.Equal(Passwords.GeneratedLength, first.Length);
        Assert.True(first.IsReadOnly());
        Assert.NotEqual(Passwords.Reveal(first), Passwords.Reveal(second));
        Assert.Matches("^[A-Za-z0-9]{24}$", Passwords.Reveal(first));
    }

    [Fact]
    public void Short_passwords_are_refused_without_showing_them()
    {
        var secret = new SecureString();
        foreach (var c in "short-pw")
        {
            secret.AppendChar(c);
        }

        var error = Assert.Throws<DatamancyException>(() => Passwords.CheckStrength(secret, "alice"));
        Assert.Equal(ErrorIds.PasswordTooWeak, error.ErrorId);
        Assert.DoesNotContain("short-pw", error.Message);
    }
}
