namespace Datamancy.Stack;

/// <summary>
/// The compose keys Datamancy understands, and the compose keys it knows but refuses. A key in
/// neither set is unknown; both are errors, so nothing in a compose file is ever ignored silently.
/// </summary>
internal static class ComposeKeys
{
    public static readonly HashSet<string> TopLevel = ["services", "networks", "volumes", "name", "version"];

    public static readonly HashSet<string> TopLevelUnsupported = ["secrets", "configs", "include", "models"];

    public static readonly HashSet<string> Service =
    [
        "image", "container_name", "hostname", "command", "entrypoint", "environment", "env_file", "ports", "expose",
        "volumes", "tmpfs", "networks", "network_mode", "user", "group_add", "cap_add", "cap_drop", "read_only",
        "security_opt", "privileged", "init", "restart", "healthcheck", "labels", "devices", "extra_hosts",
        "working_dir", "stop_grace_period", "stop_signal", "shm_size", "ulimits", "sysctls", "depends_on", "profiles",
        "logging", "mem_limit", "cpus", "pids_limit", "pull_policy",
    ];

    public static readonly HashSet<string> ServiceUnsupported =
    [
        "build", "deploy", "extends", "secrets", "configs", "links", "external_links", "volumes_from", "pid", "ipc",
        "userns_mode", "cgroup", "cgroup_parent", "platform", "scale", "develop", "post_start", "pre_stop", "runtime",
        "isolation", "credential_spec", "domainname", "dns", "dns_search", "dns_opt", "mac_address", "storage_opt",
        "oom_score_adj", "oom_kill_disable", "mem_reservation", "memswap_limit", "mem_swappiness", "cpu_shares",
        "cpu_quota", "cpu_period", "cpu_count", "cpu_percent", "cpu_rt_runtime", "cpu_rt_period", "cpuset",
        "blkio_config", "annotations", "attach", "device_cgroup_rules", "uts", "volume_driver", "tty",
        "stdin_open", "label_file", "models", "provider", "use_api_socket", "gpus", "driver_opts", "env_from_file",
    ];

    public static readonly HashSet<string> Healthcheck = ["test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"];

    public static readonly HashSet<string> DependsOn = ["condition", "required", "restart"];

    public static readonly HashSet<string> PortLong = ["target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"];

    public static readonly HashSet<string> VolumeLong = ["type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency"];

    public static readonly HashSet<string> ServiceNetwork = ["aliases", "ipv4_address", "ipv6_address", "priority"];

    public static readonly HashSet<string> Network = ["driver", "driver_opts", "internal", "name", "external", "labels", "attachable", "enable_ipv6", "ipam"];

    public static readonly HashSet<string> Volume = ["driver", "driver_opts", "name", "external", "labels"];

    public static readonly HashSet<string> Ulimit = ["soft", "hard"];

    public static readonly HashSet<string> Logging = ["driver", "options"];

    public static readonly HashSet<string> Check = ["path", "status", "contains"];

    public static readonly HashSet<string> Browser = ["title", "selector"];

    public static bool IsExtension(string key) => key.StartsWith("x-", StringComparison.Ordinal);
}
