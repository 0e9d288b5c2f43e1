using System.Text.RegularExpressions;
using Datamancy.Errors;
using Datamancy.Stack;
using Datamancy.Yaml;

namespace Datamancy.Identity;

/// <summary>
/// The parts of the stack's Authelia configuration the module needs: where users and groups live
/// in LDAP (authentication_backend.ldap) and who may reach what (access_control). Reading them from
/// there keeps the module and Authelia agreeing by construction.
/// </summary>
public sealed class AutheliaConfig
{
    public const string RelativePath = "authelia/configuration.yml";

    public required string File { get; init; }

    public required DirectoryLayout Layout { get; init; }

    public required AccessControl AccessControl { get; init; }

    public static AutheliaConfig Load(string stackDirectory)
    {
        var file = Path.Combine(stackDirectory, RelativePath);
        if (!System.IO.File.Exists(file))
        {
            throw new DatamancyException(ErrorIds.AutheliaConfigMissing, ErrorKind.ObjectNotFound,
                $"The stack has no Authelia configuration at {file}; the directory layout and the access rules come from there. Restore it with New-DatamancyStack -Path '{stackDirectory}' -Force.", file);
        }

        return Parse(file, System.IO.File.ReadAllText(file));
    }

    public static AutheliaConfig Parse(string file, string text)
    {
        var root = NodeReader.Mapping(YamlDocumentReader.Read(file, text), "the Authelia configuration");
        var ldap = (root["authentication_backend"] as YMapping)?["ldap"] as YMapping
            ?? throw new DatamancyException(ErrorIds.AutheliaConfigMissing, ErrorKind.InvalidData,
                $"{root.Mark}: the Authelia configuration has no authentication_backend.ldap section, so it names no LDAP base DN. Add it (see configs/authelia/configuration.yml of the module).", file);
        return new AutheliaConfig
        {
            File = file,
            Layout = ReadLayout(file, ldap),
            AccessControl = AccessControlReader.Read(root["access_control"]),
        };
    }

    private static DirectoryLayout ReadLayout(string file, YMapping ldap)
    {
        var baseDn = NodeReader.OptionalString(ldap["base_dn"], "authentication_backend.ldap.base_dn");
        if (string.IsNullOrWhiteSpace(baseDn) || DistinguishedName.TryParse(baseDn) is null)
        {
            throw new DatamancyException(ErrorIds.AutheliaConfigMissing, ErrorKind.InvalidData,
                $"{ldap.Mark}: authentication_backend.ldap.base_dn is missing or not a DN; set it to the directory's base, such as 'dc=stack,dc=local'.", file);
        }

        string Under(string key)
        {
            var relative = NodeReader.OptionalString(ldap[key], $"authentication_backend.ldap.{key}");
            return string.IsNullOrWhiteSpace(relative) ? baseDn : $"{relative},{baseDn}";
        }

        var attributes = ldap["attributes"] as YMapping;
        string Attribute(string key, string fallback) =>
            NodeReader.OptionalString(attributes?[key], $"authentication_backend.ldap.attributes.{key}") is { Length: > 0 } value ? value : fallback;

        return new DirectoryLayout(
            baseDn,
            Under("additional_users_dn"),
            Under("additional_groups_dn"),
            NodeReader.OptionalString(ldap["user"], "authentication_backend.ldap.user"),
            Attribute("username", "uid"),
            Attribute("display_name", "displayName"),
            Attribute("mail", "mail"),
            Attribute("group_name", "cn"));
    }

    /// <summary>The group names that the access rules grant something to (their group: subjects), for completion.</summary>
    public static IReadOnlyList<string> TryReadRoleNames(string stackDirectory)
    {
        try
        {
            return Load(stackDirectory).AccessControl.GroupNames;
        }
        catch (Exception ex) when (ex is DatamancyException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

/// <summary>Where the directory keeps people and groups, and which attributes hold what.</summary>
public sealed record DirectoryLayout(
    string BaseDn,
    string UsersDn,
    string GroupsDn,
    string? BindUser,
    string UserNameAttribute,
    string DisplayNameAttribute,
    string MailAttribute,
    string GroupNameAttribute);
