using System.Security;

namespace Datamancy;

/// <summary>A person in the stack's directory, as the user cmdlets report it.</summary>
public sealed class UserInfo
{
    public UserInfo(string name, string displayName, string mail, string[] roles, string[] groups, string distinguishedName,
        SecureString? password, string server, string stackPath)
    {
        Name = name;
        DisplayName = displayName;
        Mail = mail;
        Roles = new(roles);
        Groups = new(groups);
        DistinguishedName = distinguishedName;
        Password = password;
        Server = server;
        StackPath = stackPath;
    }

    /// <summary>The login name (the uid attribute).</summary>
    public string Name { get; }

    public string DisplayName { get; }

    public string Mail { get; }

    /// <summary>The groups that the stack's Authelia access rules grant something to (viewer, operator, admin).</summary>
    public TextList Roles { get; }

    /// <summary>Every group of the groups OU the user is a member of.</summary>
    public TextList Groups { get; }

    public string DistinguishedName { get; }

    /// <summary>A password the module generated, set only on the object New-DatamancyUser or Reset-DatamancyUserPassword returns.</summary>
    public SecureString? Password { get; }

    /// <summary>The directory server, as an ldap:// or ldaps:// URI.</summary>
    public string Server { get; }

    public string StackPath { get; }
}
