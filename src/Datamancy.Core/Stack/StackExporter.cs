using System.Globalization;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Yaml;

namespace Datamancy.Stack;

/// <summary>
/// Writes the stack model back out as one compose file, as <c>docker compose config</c> does: only
/// the selected services and the networks and volumes they use, variables interpolated, anchors
/// and env_file merged in, paths absolute, project-prefixed resource names spelled out. It stays
/// within what docker-compose 1.29 reads: no top-level name, depends_on with a condition only,
/// ports in the short form (the long one has no host_ip there).
/// </summary>
public static class StackExporter
{
    /// <param name="services">The selected services, as <see cref="ProfileResolver.Resolve"/> returns them.</param>
    /// <param name="profiles">The profiles asked for, named in the header.</param>
    /// <param name="environment">The process environment, for variables used inside env_file files.</param>
    public static string Export(StackDefinition stack, IReadOnlyList<ServiceDefinition> services, IReadOnlyCollection<string> profiles,
        SecretMask mask, Func<string, string?> environment)
    {
        var writer = new ComposeServiceWriter(mask, environment, services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal));
        var root = new YamlMap();
        var serviceMap = new YamlMap();
        foreach (var service in services)
        {
            serviceMap.Add(service.Name, writer.Service(service));
        }

        root.Add("services", serviceMap);
        var networkKeys = services.Where(s => s.NetworkMode is null).SelectMany(s => s.Networks.Select(n => n.Name)).ToHashSet(StringComparer.Ordinal);
        var networks = stack.Networks.Where(n => networkKeys.Contains(n.Key)).ToList();
        if (networks.Count > 0)
        {
            root.Add("networks", Map(networks, n => n.Key, n => Resource(n.Name, n.Driver, "bridge", n.External, n.Labels, n.DriverOptions, n.Internal, n.Attachable, writer)));
        }

        var volumeKeys = services.SelectMany(s => s.Volumes).Where(v => v.Type == "volume" && v.Source is not null).Select(v => v.Source!).ToHashSet(StringComparer.Ordinal);
        var volumes = stack.Volumes.Where(v => volumeKeys.Contains(v.Key)).ToList();
        if (volumes.Count > 0)
        {
            root.Add("volumes", Map(volumes, v => v.Key, v => Resource(v.Name, v.Driver, "local", v.External, v.Labels, v.DriverOptions, false, false, writer)));
        }

        foreach (var (key, value) in stack.Extensions)
        {
            root.Add(key, writer.Node(value));
        }

        return Header(stack, profiles, mask) + YamlTextWriter.Write(root);
    }

    private static string Header(StackDefinition stack, IReadOnlyCollection<string> profiles, SecretMask mask) =>
        $"# Datamancy stack '{stack.ProjectName}' from {stack.ComposeFile}, resolved for the profiles: {string.Join(", ", profiles)}.\n" +
        "# Variables are interpolated from .env and the environment; '$$' stands for a literal '$'.\n" +
        (ReferenceEquals(mask, SecretMask.None)
            ? "# This file holds the stack's secrets: keep it private.\n"
            : $"# Secret values read {SecretMask.Masked}.\n") +
        $"# The project name is not in the file (docker-compose 1.29 refuses 'name:'): docker compose -p {stack.ProjectName} -f <this file> ...\n";

    // A network or volume: its full name always (so another project name cannot change it), the rest when not the default.
    private static YamlMap Resource(string name, string driver, string defaultDriver, bool external, IReadOnlyDictionary<string, string> labels,
        IReadOnlyDictionary<string, string> options, bool isInternal, bool attachable, ComposeServiceWriter writer)
    {
        var map = new YamlMap { { "name", writer.Text(name) } };
        if (external)
        {
            map.Add("external", true);
            return map;
        }

        if (driver != defaultDriver)
        {
            map.Add("driver", writer.Text(driver));
        }

        if (isInternal)
        {
            map.Add("internal", true);
        }

        if (attachable)
        {
            map.Add("attachable", true);
        }

        if (labels.Count > 0)
        {
            map.Add("labels", writer.Strings(labels));
        }

        if (options.Count > 0)
        {
            map.Add("driver_opts", writer.Strings(options));
        }

        return map;
    }

    internal static YamlMap Map<T>(IEnumerable<T> items, Func<T, string> key, Func<T, object?> value)
    {
        var map = new YamlMap();
        foreach (var item in items)
        {
            map.Add(key(item), value(item));
        }

        return map;
    }

    /// <summary>A duration as Compose writes one: 1h2m3s, 1m30s, 500ms.</summary>
    internal static string Duration(TimeSpan span)
    {
        if (span.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var text = (span.Days * 24 + span.Hours > 0 ? $"{span.Days * 24 + span.Hours}h" : string.Empty)
            + (span.Minutes > 0 ? $"{span.Minutes}m" : string.Empty)
            + (span.Seconds > 0 ? $"{span.Seconds}s" : string.Empty);
        return text.Length > 0 ? text : "0s";
    }
}
