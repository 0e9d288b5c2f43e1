using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Identity;

namespace Datamancy.Commands;

/// <summary>Lists the people of the stack's directory, by name (wildcards) and/or role.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyUser")]
[OutputType(typeof(UserInfo))]
public sealed class GetDatamancyUserCommand : DirectoryCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RoleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Role { get; set; }

    protected override void Process()
    {
        var directory = OpenDirectory();
        var patterns = new List<(string Text, WildcardPattern Pattern)>();
        foreach (var name in Name ?? [])
        {
            ForItem(() =>
            {
                DirectoryNames.CheckExistingName(name, isGroup: false);
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                try
                {
                    pattern.IsMatch(string.Empty);
                }
                catch (WildcardPatternException)
                {
                    throw DirectoryNames.InvalidPattern(name, isGroup: false);
                }

                patterns.Add((name, pattern));
            });
        }

        if (Name is not null && patterns.Count == 0)
        {
            return;
        }

        // The server narrows the search with escaped substring filters; PowerShell's wildcards decide exactly.
        var found = Wait(token => directory.FindUsersAsync([.. patterns.Select(p => p.Text)], token))
            .Where(u => patterns.Count == 0 || patterns.Any(p => p.Pattern.IsMatch(u.Name)))
            .ToList();
        var groups = Wait(directory.ListGroupsAsync);
        var roleGroups = new List<DirectoryGroup>();
        foreach (var role in Role ?? [])
        {
            ForItem(() => roleGroups.Add(groups.FirstOrDefault(g => string.Equals(g.Name, role, StringComparison.OrdinalIgnoreCase))
                ?? throw directory.GroupNotFound(role, groups)));
        }

        var selected = Role is null
            ? found
            : found.Where(u => roleGroups.Any(g => DirectoryManager.GroupsOf(u, [g]).Length > 0));
        WriteObject(selected.Select(u => directory.Describe(u, groups, null)), enumerateCollection: true);
        foreach (var (text, pattern) in patterns.Where(p => !WildcardPattern.ContainsWildcardCharacters(p.Text)))
        {
            if (!found.Any(u => pattern.IsMatch(u.Name)))
            {
                WriteCoreError(directory.UserNotFound(text));
            }
        }
    }
}
