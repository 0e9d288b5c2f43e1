using Datamancy.Identity;

namespace Datamancy.Tests;

/// <summary>RFC 4515 filter values, RFC 4514 DN values, and DNs read back whatever their escaping.</summary>
public sealed class DirectoryEscapingTests
{
    public static TheoryData<string> Hostile => new() { "*", ")(", "*)(uid=*", "\\", "a\0b", "#lead", "a,b", " lead", "trail ", "Lučić", "a+b=c", "x<y>;\"z\"", "日本" };

    [Theory]
    [InlineData("Parens R Us (for all your parenthetical needs)", "Parens R Us \\28for all your parenthetical needs\\29")]
    [InlineData("*", "\\2a")]
    [InlineData("C:\\MyFile", "C:\\5cMyFile")]
    [InlineData("\0", "\\00")]
    [InlineData("*)(uid=*", "\\2a\\29\\28uid=\\2a")]
    [InlineData("Lučić", "Lučić")]
    [InlineData("line\nbreak", "line\\0abreak")]
    public void Filter_values_follow_rfc_4515(string value, string expected) => Assert.Equal(expected, LdapEscaping.FilterValue(value));

    [Theory]
    [InlineData("James \"Jim\" Smith, III", "James \\\"Jim\\\" Smith\\, III")]
    [InlineData("Before\rAfter", "Before\\0dAfter")]
    [InlineData("Sales+Engineering", "Sales\\+Engineering")]
    [InlineData("#lead", "\\#lead")]
    [InlineData("mid#dle", "mid#dle")]
    [InlineData(" lead", "\\ lead")]
    [InlineData("trail ", "trail\\ ")]
    [InlineData("in side", "in side")]
    [InlineData("a;b<c>d=e", "a\\;b\\<c\\>d\\=e")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("nul\0", "nul\\00")]
    [InlineData("Lučić", "Lučić")]
    public void Dn_values_follow_rfc_4514(string value, string expected) => Assert.Equal(expected, LdapEscaping.DnValue(value));

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Every_hostile_value_round_trips_through_a_dn(string value)
    {
        var dn = DistinguishedName.TryParse($"uid={LdapEscaping.DnValue(value)},ou=people,dc=stack,dc=local");
        Assert.NotNull(dn);
        Assert.Equal(4, dn.Rdns.Count);
        Assert.Equal(value, dn.LeadingValue("uid"));
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void No_hostile_value_leaves_a_filter_metacharacter(string value)
    {
        var escaped = LdapEscaping.FilterValue(value);
        Assert.DoesNotContain('*', escaped);
        Assert.DoesNotContain('(', escaped);
        Assert.DoesNotContain(')', escaped);
        Assert.DoesNotContain('\0', escaped);
        Assert.Equal(value, UnescapeFilter(escaped));
    }

    // The reverse of RFC 4515 escaping: every \XX is one byte of UTF-8.
    private static string UnescapeFilter(string escaped)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\')
            {
                bytes.Add(Convert.ToByte(escaped.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(escaped[i].ToString()));
            }
        }

        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    [Theory]
    [InlineData("*)(uid=*", "*\\29\\28uid=*")]
    [InlineData("al*", "al*")]
    [InlineData("a?c", "a*c")]
    [InlineData("a[bc]d", "a*d")]
    [InlineData("`*x", "\\2ax")]
    [InlineData("**", "*")]
    [InlineData("", "*")]
    [InlineData("a[", "a[")]
    [InlineData("(x)", "\\28x\\29")]
    public void Wildcard_patterns_become_escaped_substring_assertions(string pattern, string expected) =>
        Assert.Equal(expected, LdapEscaping.WildcardFilterValue(pattern));

    [Theory]
    [InlineData("uid=bob\\2Cx,ou=people,dc=stack,dc=local", "UID=Bob\\,x, ou=people,dc=stack,dc=local")]
    [InlineData("cn=Lu\\C4\\8Di\\C4\\87,dc=x", "cn=Lučić,dc=x")]
    [InlineData("cn=admin,dc=stack,dc=local", "CN=Admin,DC=Stack,DC=Local")]
    public void Dns_compare_equal_across_escaping_and_case(string left, string right) => Assert.True(DistinguishedName.AreEqual(left, right));

    [Theory]
    [InlineData("uid=a,ou=people,dc=stack,dc=local", "uid=b,ou=people,dc=stack,dc=local")]
    [InlineData("uid=a\\,b,ou=people,dc=stack,dc=local", "uid=a,b=ou,ou=people,dc=stack,dc=local")]
    [InlineData("uid=a,dc=stack,dc=local", "uid=a,ou=people,dc=stack,dc=local")]
    public void Different_dns_stay_different(string left, string right) => Assert.False(DistinguishedName.AreEqual(left, right));

    [Theory]
    [InlineData("no equals sign")]
    [InlineData("uid=trailing\\")]
    [InlineData("=value")]
    public void Malformed_dns_are_not_read(string text) => Assert.Null(DistinguishedName.TryParse(text));

    [Fact]
    public void Multi_valued_rdns_and_suffixes_are_understood()
    {
        var dn = DistinguishedName.TryParse("cn=a+sn=b,ou=people,dc=stack,dc=local")!;
        Assert.Equal(2, dn.Rdns[0].Count);
        Assert.Null(dn.LeadingValue("cn"));
        Assert.True(dn.EndsWith(DistinguishedName.TryParse("ou=people,dc=stack,dc=local")!));
        Assert.False(dn.EndsWith(DistinguishedName.TryParse("ou=groups,dc=stack,dc=local")!));
    }
}
