using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Datamancy.Stack.Model;

namespace Datamancy.Engine;

/// <summary>
/// A canonical JSON form of a resolved service (keys sorted, defaults explicit) and its hashes.
/// Like Compose's config-hash it leaves out what does not shape the container (profiles,
/// depends_on, x- fields); unlike it, it is stable across Datamancy releases that keep this form.
/// </summary>
public static class ServiceHasher
{
    public static string CanonicalJson(ServiceDefinition service)
    {
        var fields = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["image"] = service.Image,
            ["command"] = service.Command,
            ["entrypoint"] = service.Entrypoint,
            ["environment"] = new SortedDictionary<string, string?>(service.Environment.ToDictionary(), StringComparer.Ordinal),
            ["env_file"] = service.EnvFiles,
            ["labels"] = new SortedDictionary<string, string>(service.Labels.ToDictionary(), StringComparer.Ordinal),
            ["ports"] = service.Ports.Select(p => p.ToString()).ToList(),
            ["expose"] = service.Expose,
            ["volumes"] = service.Volumes.Select(v => $"{v.Type}:{v.Source}:{v.Target}:{(v.ReadOnly ? "ro" : "rw")}:{v.Options}").ToList(),
            ["tmpfs"] = service.Tmpfs,
            ["networks"] = service.Networks.Select(n => $"{n.Name}:{string.Join(',', n.Aliases)}:{n.Ipv4Address}").ToList(),
            ["network_mode"] = service.NetworkMode,
            ["user"] = service.User,
            ["group_add"] = service.GroupAdd,
            ["cap_add"] = service.CapAdd,
            ["cap_drop"] = service.CapDrop,
            ["read_only"] = service.ReadOnly,
            ["security_opt"] = service.SecurityOpt,
            ["privileged"] = service.Privileged,
            ["init"] = service.Init,
            ["restart"] = service.Restart,
            ["healthcheck"] = service.Healthcheck is { } h
                ? new object?[] { h.Test, h.Interval?.Ticks, h.Timeout?.Ticks, h.Retries, h.StartPeriod?.Ticks, h.Disable }
                : null,
            ["devices"] = service.Devices,
            ["extra_hosts"] = service.ExtraHosts,
            ["hostname"] = service.Hostname,
            ["working_dir"] = service.WorkingDir,
            ["stop_grace_period"] = service.StopGracePeriod?.Ticks,
            ["stop_signal"] = service.StopSignal,
            ["shm_size"] = service.ShmSize,
            ["mem_limit"] = service.MemLimit,
            ["cpus"] = service.Cpus,
            ["pids_limit"] = service.PidsLimit,
            ["ulimits"] = new SortedDictionary<string, long[]>(service.Ulimits.ToDictionary(u => u.Key, u => new[] { u.Value.Soft, u.Value.Hard }), StringComparer.Ordinal),
            ["sysctls"] = new SortedDictionary<string, string>(service.Sysctls.ToDictionary(), StringComparer.Ordinal),
            ["logging"] = service.Logging is { } l ? new object?[] { l.Driver, new SortedDictionary<string, string>(l.Options.ToDictionary(), StringComparer.Ordinal) } : null,
        };
        return JsonSerializer.Serialize(fields);
    }

    /// <summary>sha256 hex of the canonical form (no prefix), as Compose writes its config-hash.</summary>
    public static string ConfigHash(ServiceDefinition service) => Sha256Hex(CanonicalJson(service));

    /// <summary>The value of io.datamancy.fingerprint: the definition and the exact image it runs.</summary>
    public static string ContainerFingerprint(ServiceDefinition service, string imageId) =>
        "sha256:" + Sha256Hex(CanonicalJson(service) + "\n" + imageId);

    public static string Sha256Hex(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
