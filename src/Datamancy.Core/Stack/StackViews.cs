using Datamancy.Stack.Model;

namespace Datamancy.Stack;

/// <summary>Builds the pipeline objects the cmdlets write from the stack model.</summary>
public static class StackViews
{
    public static StackInfo ToStackInfo(StackDefinition stack) => new(
        stack.ProjectName, stack.Directory, stack.ComposeFile, stack.EnvFile ?? string.Empty,
        [.. stack.Profiles], [.. stack.Services.Select(s => s.Name)],
        [.. stack.Routes.Select(r => r.Hostname).Distinct(StringComparer.OrdinalIgnoreCase)]);

    public static IEnumerable<ProfileInfo> ToProfileInfos(StackDefinition stack) =>
        stack.Profiles.Select(profile => new ProfileInfo(profile,
            [.. stack.Services.Where(s => s.Profiles.Contains(profile)).Select(s => s.Name)], stack.Directory));

    public static ServiceInfo ToServiceInfo(StackDefinition stack, ServiceDefinition service) => new(
        service.Name,
        [.. service.Profiles],
        service.Image ?? string.Empty,
        stack.HostnameOf(service.Name) ?? string.Empty,
        [.. service.Networks.Select(n => n.Name)],
        [.. service.DependsOn.Select(d => $"{d.Service}:{d.Condition}")],
        [.. service.Ports.Select(p => p.ToString())],
        [.. service.Exceptions.Select(e => $"{e.Key}: {e.Value}")],
        service.IsJob,
        stack.Directory);
}
