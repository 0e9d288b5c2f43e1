using Datamancy.Errors;
using Datamancy.Identity;

namespace Datamancy.Tests;

/// <summary>Which server the directory cmdlets talk to, and when TLS is required.</summary>
public sealed class DirectoryEndpointTests
{
    private const string Authelia = "authentication_backend:\n  ldap:\n    base_dn: 'dc=stack,dc=local'\n    additional_users_dn: 'ou=people'\n";

    [Theory]
    [InlineData("ldap://127.0.0.1:3389", "127.0.0.1", 3389, false, true)]
    [InlineData("ldap://ldap.example.com", "ldap.example.com", 389, false, false)]
    [InlineData("ldaps://ldap.example.com", "ldap.example.com", 636, true, false)]
    [InlineData("ldaps://[::1]:1636", "::1", 1636, true, true)]
    [InlineData("ldap://localhost/", "localhost", 389, false, true)]
    [InlineData("ldap://127.8.9.10", "127.8.9.10", 389, false, true)]
    public void Server_uris_are_read(string server, string host, int port, bool ldaps, bool loopback)
    {
        var endpoint = DirectoryEndpoint.Parse(server);
        Assert.Equal(new DirectoryEndpoint(host, port, ldaps, loopback), endpoint);
    }

    [Fact]
    public void Start_tls_is_used_off_loopback_and_on_request()
    {
        Assert.True(DirectoryEndpoint.Parse("ldap://10.0.0.5").NeedsStartTls(forced: false));
        Assert.True(DirectoryEndpoint.Parse("ldap://ldap.example.com").NeedsStartTls(forced: false));
        Assert.False(DirectoryEndpoint.Parse("ldap://127.0.0.1").NeedsStartTls(forced: false));
        Assert.True(DirectoryEndpoint.Parse("ldap://127.0.0.1").NeedsStartTls(forced: true));
        Assert.False(DirectoryEndpoint.Parse("ldaps://ldap.example.com").NeedsStartTls(forced: true));
    }

    [Theory]
    [InlineData("http://ldap.example.com")]
    [InlineData("ldap://")]
    [InlineData("ldap://host/dc=stack,dc=local")]
    [InlineData("ldap://host?uid")]
    [InlineData("ldap://user:pw@host")]
    [InlineData("127.0.0.1:389")]
    public void Other_servers_are_refused(string server)
    {
        var error = Assert.Throws<DatamancyException>(() => DirectoryEndpoint.Parse(server));
        Assert.Equal(ErrorIds.InvalidDirectoryServer, error.ErrorId);
        Assert.DoesNotContain("pw@", error.Message.Replace(server, string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"0.0.0.0:389:389\"")]
    [InlineData("\"389:389\"")]
    [InlineData("\"192.168.1.5:389:389\"")]
    [InlineData("\"127.0.0.1::389\"")]
    public void A_directory_published_off_loopback_or_on_an_ephemeral_port_is_refused(string port)
    {
        using var stack = new TestStack($"services:\n  ldap:\n    image: openldap:1\n    ports:\n      - {port}\n");
        var error = Assert.Throws<DatamancyException>(() => DirectoryEndpoint.FromStack(stack.Load()));
        Assert.Equal(ErrorIds.DirectoryServerNotPublished, error.ErrorId);
    }

    [Fact]
    public void The_published_loopback_port_is_used()
    {
        using var stack = new TestStack("services:\n  ldap:\n    image: openldap:1\n    ports:\n      - \"127.0.0.1:1389:389\"\n");
        Assert.Equal("ldap://127.0.0.1:1389", DirectoryEndpoint.FromStack(stack.Load()).Uri);
    }

    [Fact]
    public void A_stack_without_an_ldap_service_names_no_server()
    {
        using var stack = new TestStack("services:\n  web:\n    image: nginx:1\n");
        Assert.Equal(ErrorIds.DirectoryServerNotPublished, Assert.Throws<DatamancyException>(() => DirectoryEndpoint.FromStack(stack.Load())).ErrorId);
    }

    [Theory]
    [InlineData("alice", "uid=alice,ou=people,dc=stack,dc=local")]
    [InlineData("a,b", "uid=a\\,b,ou=people,dc=stack,dc=local")]
    [InlineData("cn=reader,dc=stack,dc=local", "cn=reader,dc=stack,dc=local")]
    public void A_credential_names_a_dn_or_a_user_of_the_people_ou(string userName, string bindDn)
    {
        using var stack = new TestStack("services:\n  ldap:\n    image: openldap:1\n");
        var layout = AutheliaConfig.Parse("/x/authelia/configuration.yml", Authelia).Layout;
        var target = DirectoryTarget.Resolve(stack.Load(), layout, "ldap://127.0.0.1:1389", userName, new System.Security.SecureString(), null, false);
        Assert.Equal(bindDn, target.BindDn);
    }

    [Fact]
    public void Without_a_credential_the_admin_password_must_be_set()
    {
        using var stack = new TestStack("services:\n  ldap:\n    image: openldap:1\n    environment:\n      LDAP_ADMIN_PASSWORD: \"\"\n");
        var layout = AutheliaConfig.Parse("/x/authelia/configuration.yml", Authelia).Layout;
        var error = Assert.Throws<DatamancyException>(() => DirectoryTarget.Resolve(stack.Load(), layout, "ldap://127.0.0.1", null, null, null, false));
        Assert.Equal(ErrorIds.DirectoryPasswordMissing, error.ErrorId);
    }

    [Fact]
    public void A_missing_ca_file_is_refused()
    {
        using var stack = new TestStack("services:\n  ldap:\n    image: openldap:1\n");
        var layout = AutheliaConfig.Parse("/x/authelia/configuration.yml", Authelia).Layout;
        var error = Assert.Throws<DatamancyException>(() =>
            DirectoryTarget.Resolve(stack.Load(), layout, "ldap://127.0.0.1", "alice", new System.Security.SecureString(), "/nonexistent/ca.pem", false));
        Assert.Equal(ErrorIds.CaCertificateNotFound, error.ErrorId);
    }
}
