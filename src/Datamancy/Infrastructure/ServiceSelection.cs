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
