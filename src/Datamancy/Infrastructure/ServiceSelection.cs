using Datamancy.Stack;
using Datamancy.Stack.Model;

namespace Datamancy.Commands.Infrastructure;

/// <summary>Services named by the user (wildcards allowed), with or without what they depend on.</summary>
internal static class ServiceSelection
{
    public static IReadOnlyList<ServiceDefinition> Named(StackDefinition stack, IEnumerable<string> names)
    {
        var filter = new NameFilter(names);
        foreach (var missing in filter.Unmatched(stack.Services.Select(s => s.Name)))
        {
            throw StackErrors.ServiceNotFound(stack, missing);
        }

        return stack.Services.Where(s => filter.Matches(s.Name)).ToList();
    }

    /// <summary>The services -Name and -Profile select (wildcards allowed; both empty: all); a plain name or profile that matches nothing is an error.</summary>
    public static IReadOnlyList<ServiceDefinition> NamedInProfiles(StackDefinition stack, IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? profiles)
    {
        var nameFilter = new NameFilter(names);
        var profileFilter = new NameFilter(profiles);
        foreach (var missing in profileFilter.Unmatched(stack.Profiles))
        {
            throw StackErrors.ProfileNotFound(stack, missing);
        }

        foreach (var missing in nameFilter.Unmatched(stack.Services.Select(s => s.Name)))
        {
            throw StackErrors.ServiceNotFound(stack, missing);
        }

        return stack.Services.Where(s => nameFilter.Matches(s.Name) && (profileFilter.IsEmpty || s.Profiles.Any(profileFilter.Matches))).ToList();
    }

    /// <summary>
    /// The services the profiles enable, by Compose's rules; with <paramref name="includeDependencies"/>
    /// also what their members depend on in other profiles.
    /// </summary>
    public static IReadOnlyList<ServiceDefinition> ForProfiles(StackDefinition stack, IReadOnlyCollection<string> profiles, bool includeDependencies, Action<string> warn)
    {
        var members = ProfileResolver.Members(stack, profiles);
        var extra = includeDependencies ? WithDependencies(stack, members.Select(s => s.Name)).Select(s => s.Name) : [];
        return ProfileResolver.Resolve(stack, profiles, extra, warn);
    }

    public static IReadOnlyList<ServiceDefinition> WithDependencies(StackDefinition stack, IEnumerable<string> names)
    {
        var selected = new HashSet<string>(Named(stack, names).Select(s => s.Name), StringComparer.Ordinal);
        var queue = new Queue<string>(selected);
        while (queue.Count > 0)
        {
            foreach (var dependency in stack.FindService(queue.Dequeue())!.DependsOn.Where(d => stack.FindService(d.Service) is not null))
            {
                if (selected.Add(dependency.Service))
                {
                    queue.Enqueue(dependency.Service);
                }
            }
        }

        return stack.Services.Where(s => selected.Contains(s.Name)).ToList();
    }
}
