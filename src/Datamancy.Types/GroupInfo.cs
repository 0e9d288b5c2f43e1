namespace Datamancy;

/// <summary>A group of the stack's directory (a role such as viewer, operator or admin).</summary>
public sealed class GroupInfo
{
    public GroupInfo(string name, string description, string[] members, bool isRole, string distinguishedName, string server, string stackPath)
    {
        Name = name;
        Description = description;
        Members = new(members);
        IsRole = isRole;
        DistinguishedName = distinguishedName;
        Server = server;
        StackPath = stackPath;
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>The user names of the members; the placeholder member that keeps an empty groupOfNames valid is left out.</summary>
    public TextList Members { get; }

    public int MemberCount => Members.Count;

    /// <summary>True when the stack's Authelia access rules name this group.</summary>
    public bool IsRole { get; }

    public string DistinguishedName { get; }

    public string Server { get; }

    public string StackPath { get; }
}
