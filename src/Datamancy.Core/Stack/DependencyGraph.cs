using Datamancy.Stack.Model;

namespace Datamancy.Stack;

/// <summary>Order and cycles of the depends_on graph.</summary>
public static class DependencyGraph
{
    /// <summary>The first cycle found, as names with the first repeated at the end, or null.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyList<ServiceDefinition> services)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        var path = new List<string>();

        IReadOnlyList<string>? Visit(string name)
        {
            state[name] = 1;
            path.Add(name);
            foreach (var dependency in byName[name].DependsOn)
            {
                if (!byName.ContainsKey(dependency.Service))
                {
                    continue;
                }

                state.TryGetValue(dependency.Service, out var seen);
                if (seen == 1)
                {
                    return [.. path.Skip(path.IndexOf(dependency.Service)), dependency.Service];
                }

                if (seen == 0 && Visit(dependency.Service) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[name] = 2;
            return null;
        }

        foreach (var service in services)
        {
            if (!state.ContainsKey(service.Name) && Visit(service.Name) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The services in an order where each comes after everything it depends on (stable by file order).</summary>
    public static IReadOnlyList<ServiceDefinition> InDependencyOrder(IReadOnlyList<ServiceDefinition> services)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ServiceDefinition>(services.Count);

        void Visit(ServiceDefinition service)
        {
            if (!done.Add(service.Name))
            {
                return;
            }

            foreach (var dependency in service.DependsOn)
            {
                if (byName.TryGetValue(dependency.Service, out var target))
                {
                    Visit(target);
                }
            }

            result.Add(service);
        }

        foreach (var service in services)
        {
            Visit(service);
        }

        return result;
    }
}
