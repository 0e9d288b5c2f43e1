using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Identity;

namespace Datamancy.Commands;

/// <summary>Lists the groups (roles) of the stack's directory with their members.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyGroup")]
[OutputType(typeof(GroupInfo))]
public sealed class GetDatamancyGroupCommand : DirectoryCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RoleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void Process()
    {
        var directory = OpenDirectory();
        var patterns = new List<(string Text, WildcardPattern Pattern)>();
        foreach (var name in Name ?? [])
        {
            ForItem(() =>
            {
                DirectoryNames.CheckExistingName(name, isGroup: true);
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                try
                {
                    pattern.IsMatch(string.Empty);
                }
                catch (WildcardPatternException)
                {
                    throw DirectoryNames.InvalidPattern(name, isGroup: true);
                }

                patterns.Add((name, pattern));
            });
        }

        if (Name is not null && patterns.Count == 0)
        {
            return;
        }

        var groups = Wait(directory.ListGroupsAsync);
        var users = Wait(token => directory.FindUsersAsync([], token));
        var selected = groups.Where(g => patterns.Count == 0 || patterns.Any(p => p.Pattern.IsMatch(g.Name))).OrderBy(g => g.Name, StringComparer.Ordinal);
        WriteObject(selected.Select(g => directory.Describe(g, users)), enumerateCollection: true);
        foreach (var (text, pattern) in patterns.Where(p => !WildcardPattern.ContainsWildcardCharacters(p.Text)))
        {
            if (!groups.Any(g => pattern.IsMatch(g.Name)))
            {
                WriteCoreError(directory.GroupNotFound(text, groups));
            }
        }
    }
}
