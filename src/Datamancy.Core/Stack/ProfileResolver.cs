using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Stack;

/// <summary>
/// Which services a set of profiles enables, with Compose's rules: a service without profiles is
/// always on, '*' enables all, naming a service enables it, and a required depends_on into a
/// disabled service is an error (a non-required one is dropped with a warning).
/// </summary>
public static class ProfileResolver
{
    public const string All = "*";

    public static IReadOnlyList<ServiceDefinition> Resolve(StackDefinition stack, IEnumerable<string> profiles,
        IEnumerable<string>? services = null, Action<string>? warn = null)
    {
        var active = new HashSet<string>(profiles, StringComparer.Ordinal);
        var known = stack.Profiles.ToHashSet(StringComparer.Ordinal);
        foreach (var profile in active.Where(p => p != All && !known.Contains(p)))
        {
            throw StackErrors.ProfileNotFound(stack, profile);
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in services ?? [])
        {
            if (stack.FindService(name) is null)
            {
                throw StackErrors.ServiceNotFound(stack, name);
            }

            named.Add(name);
        }

        bool Enabled(ServiceDefinition s) =>
            s.Profiles.Count == 0 || active.Contains(All) || named.Contains(s.Name) || s.Profiles.Any(active.Contains);

        var enabled = stack.Services.Where(Enabled).ToList();
        var enabledNames = enabled.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var service in enabled)
        {
            foreach (var dependency in service.DependsOn.Where(d => !enabledNames.Contains(d.Service)))
            {
                if (!dependency.Required)
                {
                    warn?.Invoke($"Service '{service.Name}' has an optional dependency on '{dependency.Service}', which is not enabled; it starts without it.");
                    continue;
                }

                throw DisabledDependency(stack, service, dependency);
            }
        }

        return enabled;
    }

    // The loader already refused a required dependency on a service that does not exist, so the target is defined.
    private static DatamancyException DisabledDependency(StackDefinition stack, ServiceDefinition service, ServiceDependency dependency)
    {
        var profiles = stack.FindService(dependency.Service)?.Profiles ?? [];
        var noun = profiles.Count == 1 ? "profile" : "profiles";
        return new DatamancyException(ErrorIds.UndefinedDependency, ErrorKind.InvalidData,
            $"{dependency.Mark}: service '{service.Name}' depends on '{dependency.Service}', which is in the {noun} {string.Join(", ", profiles)}, not selected. " +
            $"Add -IncludeDependencies to take in the services it depends on, select the {noun} {string.Join(", ", profiles)} too, or mark the dependency 'required: false'.",
            service.Name);
    }

    /// <summary>The services that belong to the given profiles ('*' for every service), for stopping: no dependency rules apply.</summary>
    public static IReadOnlyList<ServiceDefinition> Members(StackDefinition stack, IEnumerable<string> profiles)
    {
        var names = new HashSet<string>(profiles, StringComparer.Ordinal);
        var known = stack.Profiles.ToHashSet(StringComparer.Ordinal);
        foreach (var profile in names.Where(p => p != All && !known.Contains(p)))
        {
            throw StackErrors.ProfileNotFound(stack, profile);
        }

        return stack.Services.Where(s => names.Contains(All) || s.Profiles.Any(names.Contains)).ToList();
    }
}
