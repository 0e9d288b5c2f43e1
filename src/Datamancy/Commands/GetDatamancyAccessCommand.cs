using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Identity;

namespace Datamancy.Commands;

/// <summary>
/// Which hostnames of the Caddyfile a user (or a set of groups) may reach and with which Authelia
/// policy, from the user's groups in LDAP and the stack's access_control rules.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DatamancyAccess", DefaultParameterSetName = ByUser)]
[OutputType(typeof(AccessInfo))]
public sealed class GetDatamancyAccessCommand : DirectoryCmdlet
{
    private const string ByUser = "ByUser";
    private const string ByGroup = "ByGroup";

    [Parameter(ParameterSetName = ByUser, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string[] User { get; set; } = [];

    /// <summary>Groups to evaluate without asking LDAP, as if a user had exactly these.</summary>
    [Parameter(ParameterSetName = ByGroup, Mandatory = true)]
    [Alias("Role")]
    [ArgumentCompleter(typeof(RoleNameCompleter))]
    [AllowEmptyCollection]
    public string[] Group { get; set; } = [];

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(HostnameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Hostname { get; set; }

    protected override void Process()
    {
        var stack = LoadStack();
        var config = AutheliaConfig.Load(stack.Directory);
        var hostnames = stack.Routes.Select(r => r.Hostname).ToList();
        var filters = (Hostname ?? []).Select(h => (Text: h, Pattern: WildcardPattern.Get(h, WildcardOptions.IgnoreCase))).ToList();
        bool Include(string hostname) => filters.Count == 0 || filters.Any(f => f.Pattern.IsMatch(hostname));

        if (ParameterSetName == ByGroup)
        {
            foreach (var group in Group)
            {
                DirectoryNames.CheckExistingName(group, isGroup: true);
                if (!config.AccessControl.GroupNames.Contains(group, StringComparer.Ordinal))
                {
                    var known = config.AccessControl.GroupNames;
                    WriteWarning($"No access rule of {config.File} names the group '{group}', so it grants nothing: the result is what a member of no known group gets. "
                        + (known.Count == 0 ? "The rules name no group." : $"The rules name: {string.Join(", ", known)}."));
                }
            }

            WriteObject(AccessReport.For(stack, config.AccessControl, string.Empty, Group.Distinct(StringComparer.Ordinal).ToList(), Include), enumerateCollection: true);
        }
        else
        {
            var directory = OpenDirectory();
            foreach (var name in User)
            {
                ForItem(() =>
                {
                    var user = Wait(token => directory.GetUserAsync(name, token));
                    var groups = DirectoryManager.GroupsOf(user, Wait(directory.ListGroupsAsync));
                    WriteVerbose($"'{user.Name}' is in: {(groups.Length == 0 ? "no group" : string.Join(", ", groups))}.");
                    WriteObject(AccessReport.For(stack, config.AccessControl, user.Name, groups, Include), enumerateCollection: true);
                });
            }
        }

        foreach (var (text, pattern) in filters.Where(f => !WildcardPattern.ContainsWildcardCharacters(f.Text) && !hostnames.Any(f.Pattern.IsMatch)))
        {
            WriteCoreError(AccessReport.HostnameNotFound(stack, text));
        }
    }
}
