using Datamancy.Stack.Model;

namespace Datamancy.Stack;

/// <summary>Builds the pipeline objects the cmdlets write from the stack model.</summary>
public static class StackViews
{
    public static StackInfo ToStackInfo(StackDefinition stack) => new(
        stack.ProjectName, stack.Directory, stack.ComposeFile, stack.EnvFile ?? string.Empty,
        [.. stack.Profiles], [.. stack.Services.Select(s => s.Name)],
        [.. stack.Routes.Select(r => r.Hostname).Distinct(StringComparer.OrdinalIgnoreCase)]);

    /// <param name="live">Live state per service name; null when no engine was asked.</param>
    public static IEnumerable<ProfileInfo> ToProfileInfos(StackDefinition stack, IReadOnlyDictionary<string, LiveState>? live = null) =>
        stack.Profiles.Select(profile =>
        {
            var members = stack.Services.Where(s => s.Profiles.Contains(profile)).Select(s => s.Name).ToArray();
            return new ProfileInfo(profile, members, stack.Directory,
                live is null ? null : members.Count(m => live.TryGetValue(m, out var l) && l.State == ContainerState.Running),
                live is null ? null : members.Count(m => live.TryGetValue(m, out var l) && l.Health == HealthStatus.Healthy));
        });

    /// <param name="live">Live state per service name; null when no engine was asked.</param>
    public static ServiceInfo ToServiceInfo(StackDefinition stack, ServiceDefinition service, IReadOnlyDictionary<string, LiveState>? live = null) => new(
        service.Name,
        [.. service.Profiles],
        service.Image ?? string.Empty,
        stack.HostnameOf(service.Name) ?? string.Empty,
        [.. service.Networks.Select(n => n.Name)],
        [.. service.DependsOn.Select(d => $"{d.Service}:{d.Condition}")],
        [.. service.Ports.Select(p => p.ToString())],
        [.. service.Exceptions.Select(e => $"{e.Key}: {e.Value}")],
        service.IsJob,
        stack.Directory,
        live is null ? LiveState.Unknown : live.GetValueOrDefault(service.Name, LiveState.Absent));
}
