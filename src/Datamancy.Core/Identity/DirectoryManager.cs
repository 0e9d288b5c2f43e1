using System.Security;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Reporting;

namespace Datamancy.Identity;

/// <summary>
/// People and roles of the stack's directory, as the cmdlets see them: validates names, resolves
/// users and groups, keeps groupOfNames valid (a placeholder member when the last one leaves) and
/// never lets a password out except as the SecureString of a freshly set one.
/// </summary>
public sealed class DirectoryManager : IDisposable
{
    private readonly IUserDirectory _directory;
    private readonly HashSet<string> _roleNames;
    private readonly DistinguishedName? _usersDn;

    public DirectoryManager(IUserDirectory directory, AutheliaConfig config, string placeholderDn, string stackPath)
    {
        _directory = directory;
        Config = config;
        PlaceholderDn = placeholderDn;
        StackPath = stackPath;
        _usersDn = DistinguishedName.TryParse(config.Layout.UsersDn);
        _roleNames = config.AccessControl.GroupNames.ToHashSet(StringComparer.Ordinal);
    }

    public AutheliaConfig Config { get; }

    /// <summary>The member that keeps a group valid when it has no one else (the directory admin, as in the bootstrap).</summary>
    public string PlaceholderDn { get; }

    public string StackPath { get; }

    public string Server => _directory.ServerUri;

    public static async Task<DirectoryManager> ConnectAsync(StackDefinition stack, AutheliaConfig config, string? server, string? userName,
        SecureString? password, string? caCertificate, bool forceStartTls, IReporter reporter, CancellationToken cancellationToken)
    {
        var target = DirectoryTarget.Resolve(stack, config.Layout, server, userName, password, caCertificate, forceStartTls);
        var directory = await LdapDirectory.ConnectAsync(target, config.Layout, reporter, cancellationToken).ConfigureAwait(false);
        return new DirectoryManager(directory, config, DirectoryTarget.AdminDn(stack, config.Layout), stack.Directory);
    }

    public string UserDnFor(string name) => $"{Config.Layout.UserNameAttribute}={LdapEscaping.DnValue(name)},{Config.Layout.UsersDn}";

    /// <summary>Users whose name matches any of the PowerShell wildcard patterns (all users for none).</summary>
    public async Task<IReadOnlyList<DirectoryUser>> FindUsersAsync(IReadOnlyList<string> patterns, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DirectoryUser>(StringComparer.OrdinalIgnoreCase);
        foreach (var pattern in patterns.Count == 0 ? ["*"] : patterns)
        {
            DirectoryNames.CheckExistingName(pattern, isGroup: false);
            foreach (var user in await _directory.FindUsersAsync(LdapEscaping.WildcardFilterValue(pattern), cancellationToken).ConfigureAwait(false))
            {
                found.TryAdd(user.DistinguishedName, user);
            }
        }

        return found.Values.OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The user with exactly this name (user names compare case-insensitively, as uid does), or null.</summary>
    public async Task<DirectoryUser?> FindUserAsync(string name, CancellationToken cancellationToken)
    {
        DirectoryNames.CheckExistingName(name, isGroup: false);
        var users = await _directory.FindUsersAsync(LdapEscaping.FilterValue(name), cancellationToken).ConfigureAwait(false);
        return users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    public async Task<DirectoryUser> GetUserAsync(string name, CancellationToken cancellationToken) =>
        await FindUserAsync(name, cancellationToken).ConfigureAwait(false) ?? throw UserNotFound(name);

    public Task<IReadOnlyList<DirectoryGroup>> ListGroupsAsync(CancellationToken cancellationToken) => _directory.ListGroupsAsync(cancellationToken);

    public async Task<DirectoryGroup> GetGroupAsync(string name, CancellationToken cancellationToken)
    {
        DirectoryNames.CheckExistingName(name, isGroup: true);
        var groups = await ListGroupsAsync(cancellationToken).ConfigureAwait(false);
        return groups.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase)) ?? throw GroupNotFound(name, groups);
    }

    public DatamancyException UserNotFound(string name) =>
        new(ErrorIds.UserNotFound, ErrorKind.ObjectNotFound,
            $"No user '{DirectoryNames.Printable(name)}' in {Config.Layout.UsersDn} on {Server}. Run Get-DatamancyUser to list the users.", name);

    public DatamancyException GroupNotFound(string name, IReadOnlyList<DirectoryGroup> groups) =>
        new(ErrorIds.GroupNotFound, ErrorKind.ObjectNotFound,
            $"No group '{DirectoryNames.Printable(name)}' in {Config.Layout.GroupsDn} on {Server}; the groups are: {string.Join(", ", groups.Select(g => g.Name))}.", name);

    /// <summary>Checks everything about a new user before anything changes.</summary>
    public async Task<NewUserPlan> PlanNewUserAsync(string name, string displayName, string mail, IReadOnlyList<string> roles, SecureString? password,
        CancellationToken cancellationToken)
    {
        DirectoryNames.CheckNewUserName(name);
        DirectoryNames.CheckDisplayName(displayName);
        DirectoryNames.CheckMail(mail);
        if (password is not null)
        {
            Passwords.CheckStrength(password, name);
        }

        var groups = new List<DirectoryGroup>();
        foreach (var role in roles.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            groups.Add(await GetGroupAsync(role, cancellationToken).ConfigureAwait(false));
        }

        if (await FindUserAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            throw new DatamancyException(ErrorIds.UserExists, ErrorKind.ResourceExists,
                $"The user '{name}' already exists ({existing.DistinguishedName}) on {Server}. Change it with Set-DatamancyUser, or choose another name.", name);
        }

        return new NewUserPlan(UserDnFor(name), name, displayName, mail, groups);
    }

    /// <summary>Creates the user, sets the password (server-side hash), joins the groups; undoes the entry if a later step fails.</summary>
    public async Task<UserInfo> CreateUserAsync(NewUserPlan plan, SecureString? password, CancellationToken cancellationToken)
    {
        var generated = password is null;
        password ??= Passwords.Generate();
        await _directory.AddUserAsync(plan.DistinguishedName, plan.Name, plan.DisplayName, plan.Mail, cancellationToken).ConfigureAwait(false);
        var joined = new List<DirectoryGroup>();
        try
        {
            await _directory.SetPasswordAsync(plan.DistinguishedName, password, cancellationToken).ConfigureAwait(false);
            foreach (var group in plan.Groups)
            {
                await _directory.ChangeMembersAsync(group.DistinguishedName, [plan.DistinguishedName], [], cancellationToken).ConfigureAwait(false);
                joined.Add(group);
            }
        }
        catch
        {
            await UndoCreateAsync(plan.DistinguishedName, joined).ConfigureAwait(false);
            throw;
        }

        return await DescribeAsync(await GetUserAsync(plan.Name, cancellationToken).ConfigureAwait(false), generated ? password : null, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Changes display name and mail; with <paramref name="roles"/>, the user's groups become exactly those.</summary>
    public async Task<UserInfo> UpdateUserAsync(DirectoryUser user, string? displayName, string? mail, IReadOnlyList<DirectoryGroup>? roles,
        CancellationToken cancellationToken)
    {
        await _directory.UpdateUserAsync(user.DistinguishedName, displayName, mail, cancellationToken).ConfigureAwait(false);
        if (roles is not null)
        {
            foreach (var group in await ListGroupsAsync(cancellationToken).ConfigureAwait(false))
            {
                var wanted = roles.Any(r => DistinguishedName.AreEqual(r.DistinguishedName, group.DistinguishedName));
                var member = IsMember(group, user);
                if (wanted && !member)
                {
                    await _directory.ChangeMembersAsync(group.DistinguishedName, [user.DistinguishedName], [], cancellationToken).ConfigureAwait(false);
                }
                else if (!wanted && member)
                {
                    await LeaveAsync(group, user, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return await DescribeAsync(await GetUserAsync(user.Name, cancellationToken).ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets a new password through RFC 3062, so the server stores its own hash; generates one when none is given.</summary>
    public async Task<UserInfo> ResetPasswordAsync(DirectoryUser user, SecureString? password, CancellationToken cancellationToken)
    {
        var generated = password is null;
        password ??= Passwords.Generate();
        await _directory.SetPasswordAsync(user.DistinguishedName, password, cancellationToken).ConfigureAwait(false);
        return await DescribeAsync(user, generated ? password : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the user out of every group, then deletes the entry.</summary>
    public async Task RemoveUserAsync(DirectoryUser user, CancellationToken cancellationToken)
    {
        foreach (var group in (await ListGroupsAsync(cancellationToken).ConfigureAwait(false)).Where(g => IsMember(g, user)))
        {
            await LeaveAsync(group, user, cancellationToken).ConfigureAwait(false);
        }

        await _directory.DeleteAsync(user.DistinguishedName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the user to the group; false when the user already was a member.</summary>
    public async Task<bool> AddMemberAsync(DirectoryGroup group, DirectoryUser user, CancellationToken cancellationToken)
    {
        var current = await GetGroupAsync(group.Name, cancellationToken).ConfigureAwait(false);
        if (IsMember(current, user))
        {
            return false;
        }

        await _directory.ChangeMembersAsync(current.DistinguishedName, [user.DistinguishedName], [], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Removes the user from the group; false when the user was not a member.</summary>
    public async Task<bool> RemoveMemberAsync(DirectoryGroup group, DirectoryUser user, CancellationToken cancellationToken)
    {
        var current = await GetGroupAsync(group.Name, cancellationToken).ConfigureAwait(false);
        if (!IsMember(current, user))
        {
            return false;
        }

        await LeaveAsync(current, user, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<UserInfo> DescribeAsync(DirectoryUser user, SecureString? password, CancellationToken cancellationToken) =>
        Describe(user, await ListGroupsAsync(cancellationToken).ConfigureAwait(false), password);

    public UserInfo Describe(DirectoryUser user, IReadOnlyList<DirectoryGroup> groups, SecureString? password)
    {
        var names = GroupsOf(user, groups);
        return new UserInfo(user.Name, user.DisplayName, user.Mail, [.. names.Where(_roleNames.Contains)], [.. names],
            user.DistinguishedName, password, Server, StackPath);
    }

    public GroupInfo Describe(DirectoryGroup group, IReadOnlyList<DirectoryUser> users)
    {
        var members = new List<string>();
        foreach (var dn in group.MemberDns.Where(m => !DistinguishedName.AreEqual(m, PlaceholderDn)))
        {
            var user = users.FirstOrDefault(u => DistinguishedName.AreEqual(u.DistinguishedName, dn));
            members.Add(user?.Name ?? UserNameFromDn(dn) ?? dn);
        }

        return new GroupInfo(group.Name, group.Description, [.. members.Order(StringComparer.OrdinalIgnoreCase)], _roleNames.Contains(group.Name),
            group.DistinguishedName, Server, StackPath);
    }

    /// <summary>The names of the groups the user is a member of, sorted.</summary>
    public static string[] GroupsOf(DirectoryUser user, IReadOnlyList<DirectoryGroup> groups) =>
        [.. groups.Where(g => IsMember(g, user)).Select(g => g.Name).Order(StringComparer.Ordinal)];

    public void Dispose() => _directory.Dispose();

    private static bool IsMember(DirectoryGroup group, DirectoryUser user) =>
        group.MemberDns.Any(m => DistinguishedName.AreEqual(m, user.DistinguishedName));

    // groupOfNames must keep a member: when the user is the last real one, the placeholder joins in the same request.
    private async Task LeaveAsync(DirectoryGroup group, DirectoryUser user, CancellationToken cancellationToken)
    {
        var leaving = group.MemberDns.Where(m => DistinguishedName.AreEqual(m, user.DistinguishedName)).ToList();
        var remaining = group.MemberDns.Count - leaving.Count;
        IReadOnlyList<string> add = remaining == 0 ? [PlaceholderDn] : [];
        await _directory.ChangeMembersAsync(group.DistinguishedName, add, leaving, cancellationToken).ConfigureAwait(false);
    }

    private async Task UndoCreateAsync(string distinguishedName, List<DirectoryGroup> joined)
    {
        try
        {
            foreach (var group in joined)
            {
                await _directory.ChangeMembersAsync(group.DistinguishedName, [], [distinguishedName], CancellationToken.None).ConfigureAwait(false);
            }

            await _directory.DeleteAsync(distinguishedName, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DatamancyException)
        {
            // The first failure is the one worth reporting; a half-made entry shows up in Get-DatamancyUser.
        }
    }

    private string? UserNameFromDn(string dn)
    {
        var parsed = DistinguishedName.TryParse(dn);
        return parsed is not null && _usersDn is not null && parsed.Rdns.Count == _usersDn.Rdns.Count + 1 && parsed.EndsWith(_usersDn)
            ? parsed.LeadingValue(Config.Layout.UserNameAttribute)
            : null;
    }
}

/// <summary>A checked request for a new user: its DN and the groups it joins.</summary>
public sealed record NewUserPlan(string DistinguishedName, string Name, string DisplayName, string Mail, IReadOnlyList<DirectoryGroup> Groups);
