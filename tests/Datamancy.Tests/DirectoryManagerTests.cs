using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using Datamancy.Errors;
using Datamancy.Identity;

namespace Datamancy.Tests;

/// <summary>The directory logic over an in-memory directory: escaping at the boundary, valid groups, undo on failure.</summary>
public sealed class DirectoryManagerTests
{
    private const string Placeholder = "cn=admin,dc=stack,dc=local";
    private const string Groups = "ou=groups,dc=stack,dc=local";

    private static readonly AutheliaConfig Config = AutheliaConfig.Parse("/s/authelia/configuration.yml", """
        authentication_backend:
          ldap:
            base_dn: 'dc=stack,dc=local'
            additional_users_dn: 'ou=people'
            additional_groups_dn: 'ou=groups'
        access_control:
          rules:
            - domain: '*.stack.local'
              policy: 'one_factor'
              subject: [['group:viewer'], ['group:admin']]
        """);

    private readonly FakeDirectory _fake = new();
    private readonly DirectoryManager _manager;

    public DirectoryManagerTests()
    {
        _fake.Groups.Add(new DirectoryGroup($"cn=viewer,{Groups}", "viewer", "Viewers", [Placeholder]));
        _fake.Groups.Add(new DirectoryGroup($"cn=admin,{Groups}", "admin", "Admins", [Placeholder]));
        _fake.Groups.Add(new DirectoryGroup($"cn=family,{Groups}", "family", "Not a role", [Placeholder]));
        _manager = new DirectoryManager(_fake, Config, Placeholder, "/s");
    }

    [Fact]
    public async Task A_new_user_gets_a_generated_password_once_and_joins_its_roles()
    {
        var plan = await _manager.PlanNewUserAsync("alice", "Alice Liddell", "alice@stack.local", ["viewer", "family"], null, default);
        var user = await _manager.CreateUserAsync(plan, null, default);
        Assert.Equal("uid=alice,ou=people,dc=stack,dc=local", user.DistinguishedName);
        Assert.Equal(["family", "viewer"], user.Groups);
        Assert.Equal(["viewer"], user.Roles);
        Assert.NotNull(user.Password);
        Assert.Equal(Passwords.Reveal(user.Password), _fake.Passwords[user.DistinguishedName]);
        Assert.Null((await _manager.DescribeAsync((await _manager.FindUserAsync("alice", default))!, null, default)).Password);
    }

    [Fact]
    public async Task A_given_password_is_set_but_never_returned()
    {
        var secret = Secure("correct horse battery staple");
        var plan = await _manager.PlanNewUserAsync("bob", "Bob", "bob@stack.local", ["admin"], secret, default);
        var user = await _manager.CreateUserAsync(plan, secret, default);
        Assert.Null(user.Password);
        Assert.Equal("correct horse battery staple", _fake.Passwords[user.DistinguishedName]);
    }

    [Fact]
    public async Task Planning_checks_everything_before_anything_changes()
    {
        await _manager.CreateUserAsync(await _manager.PlanNewUserAsync("alice", "Alice", "alice@stack.local", ["viewer"], null, default), null, default);
        var writes = _fake.Writes;
        Assert.Equal(ErrorIds.UserExists, (await Assert.ThrowsAsync<DatamancyException>(() => _manager.PlanNewUserAsync("alice", "A", "a@stack.local", ["viewer"], null, default))).ErrorId);
        Assert.Equal(ErrorIds.GroupNotFound, (await Assert.ThrowsAsync<DatamancyException>(() => _manager.PlanNewUserAsync("carol", "C", "c@stack.local", ["nope"], null, default))).ErrorId);
        Assert.Equal(ErrorIds.InvalidUserName, (await Assert.ThrowsAsync<DatamancyException>(() => _manager.PlanNewUserAsync("*)(uid=*", "C", "c@stack.local", ["viewer"], null, default))).ErrorId);
        Assert.Equal(ErrorIds.InvalidMailAddress, (await Assert.ThrowsAsync<DatamancyException>(() => _manager.PlanNewUserAsync("carol", "C", "carol", ["viewer"], null, default))).ErrorId);
        Assert.Equal(ErrorIds.PasswordTooWeak, (await Assert.ThrowsAsync<DatamancyException>(() => _manager.PlanNewUserAsync("carol", "C", "c@stack.local", ["viewer"], Secure("short"), default))).ErrorId);
        Assert.Equal(writes, _fake.Writes);
    }

    [Fact]
    public async Task A_failed_step_after_the_add_undoes_the_user()
    {
        var plan = await _manager.PlanNewUserAsync("alice", "Alice", "alice@stack.local", ["viewer", "admin"], null, default);
        _fake.FailMembershipOf = $"cn=admin,{Groups}";
        await Assert.ThrowsAsync<DatamancyException>(() => _manager.CreateUserAsync(plan, null, default));
        Assert.Empty(_fake.Users);
        Assert.All(_fake.Groups, g => Assert.Equal([Placeholder], g.MemberDns));
    }

    [Fact]
    public async Task The_last_member_leaving_brings_the_placeholder_back_in_the_same_request()
    {
        await _manager.CreateUserAsync(await _manager.PlanNewUserAsync("alice", "Alice", "alice@stack.local", ["viewer"], null, default), null, default);
        var viewer = _fake.Groups.Single(g => g.Name == "viewer");
        _fake.Replace(viewer with { MemberDns = ["uid=alice,ou=people,dc=stack,dc=local"] });
        var alice = (await _manager.FindUserAsync("alice", default))!;
        Assert.True(await _manager.RemoveMemberAsync(viewer, alice, default));
        Assert.False(await _manager.RemoveMemberAsync(viewer, alice, default));
        Assert.Equal([Placeholder], _fake.Groups.Single(g => g.Name == "viewer").MemberDns);
        Assert.Contains(_fake.Requests, r => r.StartsWith($"modify cn=viewer,{Groups} add {Placeholder} delete uid=alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Removing_a_user_leaves_every_group_first()
    {
        await _manager.CreateUserAsync(await _manager.PlanNewUserAsync("alice", "Alice", "alice@stack.local", ["viewer", "admin", "family"], null, default), null, default);
        await _manager.RemoveUserAsync((await _manager.FindUserAsync("alice", default))!, default);
        Assert.Empty(_fake.Users);
        Assert.All(_fake.Groups, g => Assert.Equal([Placeholder], g.MemberDns));
    }

    [Fact]
    public async Task Setting_roles_makes_the_groups_exactly_those()
    {
        await _manager.CreateUserAsync(await _manager.PlanNewUserAsync("alice", "Alice", "alice@stack.local", ["viewer", "family"], null, default), null, default);
        var alice = (await _manager.FindUserAsync("alice", default))!;
        var admin = await _manager.GetGroupAsync("admin", default);
        var updated = await _manager.UpdateUserAsync(alice, "Alice L.", "al@stack.local", [admin], default);
        Assert.Equal(["admin"], updated.Groups);
        Assert.Equal("Alice L.", updated.DisplayName);
        Assert.Equal("al@stack.local", updated.Mail);
    }

    [Theory]
    [InlineData("*)(uid=*")]
    [InlineData("*")]
    [InlineData("a)(objectClass=*")]
    [InlineData("\\2a")]
    public async Task Hostile_exact_names_find_nothing_and_reach_the_directory_escaped(string name)
    {
        await _manager.CreateUserAsync(await _manager.PlanNewUserAsync("alice", "Alice", "alice@stack.local", ["viewer"], null, default), null, default);
        Assert.Null(await _manager.FindUserAsync(name, default));
        Assert.Equal(LdapEscaping.FilterValue(name), _fake.Assertions[^1]);
        Assert.Equal(ErrorIds.UserNotFound, (await Assert.ThrowsAsync<DatamancyException>(() => _manager.GetUserAsync(name, default))).ErrorId);
    }

    [Fact]
    public async Task A_nul_in_a_name_is_refused_before_the_directory_is_asked()
    {
        var asked = _fake.Assertions.Count;
        Assert.Equal(ErrorIds.InvalidUserName, (await Assert.ThrowsAsync<DatamancyException>(() => _manager.FindUserAsync("a\0b", default))).ErrorId);
        Assert.Equal(asked, _fake.Assertions.Count);
    }

    [Fact]
    public async Task Wildcard_patterns_search_with_escaped_literals()
    {
        await _manager.CreateUserAsync(await _manager.PlanNewUserAsync("alice", "Alice", "alice@stack.local", ["viewer"], null, default), null, default);
        Assert.Single(await _manager.FindUsersAsync(["al*"], default));
        Assert.Empty(await _manager.FindUsersAsync(["*)(uid=*"], default));
        Assert.Equal("*\\29\\28uid=*", _fake.Assertions[^1]);
    }

    [Fact]
    public void Group_members_show_as_user_names_without_the_placeholder()
    {
        var users = new List<DirectoryUser> { new("uid=alice,ou=people,dc=stack,dc=local", "alice", "Alice", "a@x") };
        var group = new DirectoryGroup($"cn=viewer,{Groups}", "viewer", "", [Placeholder, "UID=Alice,ou=people,dc=stack,dc=local", "uid=ghost\\2C1,ou=people,dc=stack,dc=local", "cn=svc,dc=stack,dc=local"]);
        var info = _manager.Describe(group, users);
        Assert.Equal(["alice", "cn=svc,dc=stack,dc=local", "ghost,1"], info.Members);
        Assert.True(info.IsRole);
        Assert.False(_manager.Describe(_fake.Groups.Single(g => g.Name == "family"), users).IsRole);
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        return secure;
    }

    /// <summary>An in-memory directory that evaluates (uid=assertion) the way a server does: \XX bytes, '*' substrings, case-insensitive.</summary>
    private sealed class FakeDirectory : IUserDirectory
    {
        public List<DirectoryUser> Users { get; } = [];

        public List<DirectoryGroup> Groups { get; } = [];

        public Dictionary<string, string> Passwords { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Assertions { get; } = [];

        public List<string> Requests { get; } = [];

        public string? FailMembershipOf { get; set; }

        public int Writes => Requests.Count;

        public string ServerUri => "ldap://fake:389";

        public Task<IReadOnlyList<DirectoryUser>> FindUsersAsync(string assertionValue, CancellationToken cancellationToken)
        {
            Assertions.Add(assertionValue);
            var pattern = "^" + string.Join(".*", assertionValue.Split('*').Select(part => Regex.Escape(Unescape(part)))) + "$";
            return Task.FromResult<IReadOnlyList<DirectoryUser>>(Users.Where(u => Regex.IsMatch(u.Name, pattern, RegexOptions.IgnoreCase | RegexOptions.Singleline)).ToList());
        }

        public Task<IReadOnlyList<DirectoryGroup>> ListGroupsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DirectoryGroup>>(Groups.ToList());

        public Task AddUserAsync(string distinguishedName, string name, string displayName, string mail, CancellationToken cancellationToken)
        {
            Requests.Add($"add {distinguishedName}");
            Users.Add(new DirectoryUser(distinguishedName, name, displayName, mail));
            return Task.CompletedTask;
        }

        public Task UpdateUserAsync(string distinguishedName, string? displayName, string? mail, CancellationToken cancellationToken)
        {
            Requests.Add($"update {distinguishedName}");
            var index = Users.FindIndex(u => u.DistinguishedName == distinguishedName);
            Users[index] = Users[index] with { DisplayName = displayName ?? Users[index].DisplayName, Mail = mail ?? Users[index].Mail };
            return Task.CompletedTask;
        }

        public Task SetPasswordAsync(string distinguishedName, SecureString password, CancellationToken cancellationToken)
        {
            Requests.Add($"password {distinguishedName}");
            Passwords[distinguishedName] = new System.Net.NetworkCredential(string.Empty, password).Password;
            return Task.CompletedTask;
        }

        public Task ChangeMembersAsync(string groupDn, IReadOnlyList<string> add, IReadOnlyList<string> delete, CancellationToken cancellationToken)
        {
            Requests.Add($"modify {groupDn} add {string.Join(";", add)} delete {string.Join(";", delete)}");
            if (groupDn == FailMembershipOf && add.Count > 0)
            {
                throw new DatamancyException(ErrorIds.DirectoryError, ErrorKind.InvalidOperation, "injected failure");
            }

            var group = Groups.Single(g => g.DistinguishedName == groupDn);
            var members = group.MemberDns.Concat(add).Where(m => !delete.Contains(m)).ToList();
            if (members.Count == 0)
            {
                throw new DatamancyException(ErrorIds.DirectoryError, ErrorKind.InvalidOperation, "objectClassViolation: groupOfNames requires member");
            }

            Replace(group with { MemberDns = members });
            return Task.CompletedTask;
        }

        public Task DeleteAsync(string distinguishedName, CancellationToken cancellationToken)
        {
            Requests.Add($"delete {distinguishedName}");
            Users.RemoveAll(u => u.DistinguishedName == distinguishedName);
            return Task.CompletedTask;
        }

        public void Replace(DirectoryGroup group) => Groups[Groups.FindIndex(g => g.DistinguishedName == group.DistinguishedName)] = group;

        public void Dispose()
        {
        }

        private static string Unescape(string escaped)
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
                    bytes.AddRange(Encoding.UTF8.GetBytes(escaped[i].ToString()));
                }
            }

            return Encoding.UTF8.GetString(bytes.ToArray());
        }
    }
}
