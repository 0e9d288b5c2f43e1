namespace Datamancy.Security.Audit;

/// <summary>One audit rule: a stable id (tests and scripts rely on it), its default severity, the x-datamancy-exceptions kind that may cover it and how to fix it.</summary>
public sealed record SecurityRule(string Id, string Title, SecuritySeverity Severity, string? ExceptionKind, string Remediation);

/// <summary>Every rule Test-DatamancySecurity applies. Ids are stable: never renumber, only append.</summary>
public static class SecurityRules
{
    public static readonly SecurityRule CapDropMissing = new("DMS001", "CapDropMissing", SecuritySeverity.High, "capabilities",
        "Add 'cap_drop: [ALL]' to the service (the stack's x-hardened anchor does it) and add back only the capabilities it needs with cap_add.");

    public static readonly SecurityRule CapAdded = new("DMS002", "CapabilityAdded", SecuritySeverity.Medium, "capabilities",
        "Remove the cap_add entries the service can run without; document each one it needs under x-datamancy-exceptions: capabilities.");

    public static readonly SecurityRule RootUser = new("DMS003", "RootUser", SecuritySeverity.Medium, "root-user",
        "Set 'user: \"<uid>:<gid>\"' to a non-root uid the image supports, or document why it needs root under x-datamancy-exceptions: root-user.");

    public static readonly SecurityRule WritableConfig = new("DMS004", "WritableConfigMount", SecuritySeverity.Medium, "writable-config",
        "Append ':ro' to the bind mount (or set read_only: true in its long form); keep state in a named volume instead of the stack folder.");

    public static readonly SecurityRule DockerSocket = new("DMS005", "DockerSocketMounted", SecuritySeverity.High, "docker-socket",
        "Remove the socket mount. Only portainer, watchtower and promtail may mount it, read-only (':ro'), with a docker-socket exception.");

    public static readonly SecurityRule PublishedPort = new("DMS006", "PortPublishedBeyondLoopback", SecuritySeverity.High, null,
        "Publish the port on loopback only (\"127.0.0.1:<port>:<target>\") or not at all: Caddy's 80 and 443 are the only front door.");

    public static readonly SecurityRule Privileged = new("DMS007", "PrivilegedContainer", SecuritySeverity.Critical, "privileged",
        "Remove 'privileged: true'; map the one device or add the one capability the service needs instead.");

    public static readonly SecurityRule HostNetwork = new("DMS008", "HostNetwork", SecuritySeverity.High, "host-network",
        "Remove 'network_mode: host' and join the frontend or backend network; publish a port on 127.0.0.1 if the host must reach it.");

    public static readonly SecurityRule Devices = new("DMS009", "DeviceMapped", SecuritySeverity.Medium, "devices",
        "Remove the devices: entries the service can run without; document each one it needs under x-datamancy-exceptions: devices.");

    public static readonly SecurityRule MetricsRouted = new("DMS010", "MetricsOrAdminRouted", SecuritySeverity.High, null,
        "Do not route /metrics, admin paths or metrics ports through Caddy; Prometheus scrapes them on the backend network. Answer them with 'respond /metrics 404'.");

    public static readonly SecurityRule HstsMissing = new("DMS011", "HstsMissing", SecuritySeverity.Medium, null,
        "Import the security_headers snippet in the site: Strict-Transport-Security \"max-age=31536000; includeSubDomains\" (one year at least).");

    public static readonly SecurityRule CspMissing = new("DMS012", "CspMissing", SecuritySeverity.Medium, null,
        "Import the security_headers snippet in the site, which sets a Content-Security-Policy header.");

    public static readonly SecurityRule ForwardAuthMissing = new("DMS013", "ForwardAuthMissing", SecuritySeverity.High, "forward-auth",
        "Add the Authelia 'forward_auth authelia:9091 { uri /api/authz/forward-auth ... }' block before reverse_proxy, or document why the site is public under x-datamancy-exceptions: forward-auth.");

    public static readonly SecurityRule MutableTag = new("DMS014", "ImageNotPinned", SecuritySeverity.Medium, null,
        "Pin the image to a version tag (such as postgres:16-alpine) or a digest (@sha256:...); 'latest' and untagged images change under you.");

    public static readonly SecurityRule DatabaseAutoUpdate = new("DMS015", "DatabaseAutoUpdated", SecuritySeverity.Medium, null,
        "Add the label com.centurylinklabs.watchtower.enable: \"false\" to the database service; upgrade databases by hand, after a backup.");

    public static readonly SecurityRule PlaceholderSecret = new("DMS016", "DefaultOrPlaceholderSecret", SecuritySeverity.Critical, null,
        "Replace the value with a fresh secret: Update-DatamancySecret -Name <variable> (or New-DatamancyStack -Force, which fills empty secrets).");

    public static readonly SecurityRule ReusedSecret = new("DMS017", "ReusedSecret", SecuritySeverity.High, null,
        "Give each variable its own secret: Update-DatamancySecret -Name <variable> for all but one of them.");

    public static readonly SecurityRule WeakSecret = new("DMS018", "WeakSecret", SecuritySeverity.High, null,
        "Replace the value with a secret of 128 bits or more: Update-DatamancySecret -Name <variable> writes 256 bits (64 hex characters).");

    public static readonly SecurityRule InlineSecret = new("DMS019", "SecretInComposeFile", SecuritySeverity.Medium, null,
        "Move the value to .env and reference it as \"${VARIABLE:?VARIABLE is not set}\"; the compose file is shared and versioned, .env is not.");

    public static readonly SecurityRule EnvFileMode = new("DMS020", "SecretFileReadable", SecuritySeverity.High, null,
        "Make the file readable by its owner only: chmod 600 <file> (New-DatamancyStack and Update-DatamancySecret write mode 600).");

    public static readonly SecurityRule StaleException = new("DMS021", "UnusedException", SecuritySeverity.Info, null,
        "Remove the exception from x-datamancy-exceptions: nothing needs it now, and a stale exception would silently cover a future problem.");

    public static readonly SecurityRule BackupKeyInBackup = new("DMS022", "RepositoryPasswordInBackedUpEnv", SecuritySeverity.High, null,
        "Keep the repository password off the host: remove it from .env and give it to each backup call (-RepositoryCredential, or the variable in the caller's environment), or stop backing up secrets with Set-DatamancyBackupPolicy -IncludeSecrets:$false.");

    public static readonly SecurityRule SwarmSecretInEnvironment = new("DMS023", "SwarmSecretInEnvironment", SecuritySeverity.Medium, null,
        "If the image reads <KEY>_FILE, list KEY in the service's x-datamancy: { secret-files: [KEY] }: it then gets <KEY>_FILE=/run/secrets/<VAR> and the value leaves the service's spec and environment.");

    public static readonly IReadOnlyList<SecurityRule> All =
    [
        CapDropMissing, CapAdded, RootUser, WritableConfig, DockerSocket, PublishedPort, Privileged, HostNetwork, Devices,
        MetricsRouted, HstsMissing, CspMissing, ForwardAuthMissing, MutableTag, DatabaseAutoUpdate,
        PlaceholderSecret, ReusedSecret, WeakSecret, InlineSecret, EnvFileMode, StaleException, BackupKeyInBackup,
        SwarmSecretInEnvironment,
    ];
}
