using System.Security;

namespace Datamancy.Identity;

/// <summary>A person entry as read from the directory.</summary>
public sealed record DirectoryUser(string DistinguishedName, string Name, string DisplayName, string Mail);

/// <summary>A group entry as read from the directory, with its member DNs as stored.</summary>
public sealed record DirectoryGroup(string DistinguishedName, string Name, string Description, IReadOnlyList<string> MemberDns);

/// <summary>
/// The directory operations <see cref="DirectoryManager"/> builds on. Values arrive escaped where
/// LDAP syntax needs it: filter values per RFC 4515, DNs built with RFC 4514 escaping.
/// </summary>
public interface IUserDirectory : IDisposable
{
    /// <summary>The server as an ldap:// or ldaps:// URI.</summary>
    string ServerUri { get; }

    /// <summary>Persons of the people OU whose user name matches an RFC 4515 assertion value (which may hold '*').</summary>
    Task<IReadOnlyList<DirectoryUser>> FindUsersAsync(string assertionValue, CancellationToken cancellationToken);

    /// <summary>Every groupOfNames of the groups OU.</summary>
    Task<IReadOnlyList<DirectoryGroup>> ListGroupsAsync(CancellationToken cancellationToken);

    Task AddUserAsync(string distinguishedName, string name, string displayName, string mail, CancellationToken cancellationToken);

    /// <summary>Replaces the display name (and cn, sn with it) and/or the mail of a person.</summary>
    Task UpdateUserAsync(string distinguishedName, string? displayName, string? mail, CancellationToken cancellationToken);

    /// <summary>RFC 3062 Password Modify: the server hashes and stores the password.</summary>
    Task SetPasswordAsync(string distinguishedName, SecureString password, CancellationToken cancellationToken);

    /// <summary>Adds and deletes member values of a group in one modify request.</summary>
    Task ChangeMembersAsync(string groupDn, IReadOnlyList<string> add, IReadOnlyList<string> delete, CancellationToken cancellationToken);

    Task DeleteAsync(string distinguishedName, CancellationToken cancellationToken);
}
