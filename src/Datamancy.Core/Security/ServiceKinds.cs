using System.Net;
using Datamancy.Stack.Model;

namespace Datamancy.Security;

/// <summary>What kind of server a service runs, told by its image or, for locally built test images, by its name.</summary>
public enum ServerKind
{
    Other,
    MariaDb,
    Postgres,
    Mongo,
    Redis,
    ClickHouse,
    Ldap,
}

/// <summary>Classifies services, images and mount sources for the audit and for secret rotation.</summary>
public static class ServiceKinds
{
    /// <summary>The only services that may mount the Docker socket, read-only, with a docker-socket exception.</summary>
    public static readonly IReadOnlySet<string> SocketTools = new HashSet<string>(StringComparer.Ordinal) { "portainer", "watchtower", "promtail" };

    private static readonly Dictionary<string, ServerKind> ByRepository = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mariadb"] = ServerKind.MariaDb, ["mysql"] = ServerKind.MariaDb, ["percona-server"] = ServerKind.MariaDb,
        ["postgres"] = ServerKind.Postgres, ["postgresql"] = ServerKind.Postgres, ["postgis"] = ServerKind.Postgres, ["timescaledb"] = ServerKind.Postgres,
        ["mongo"] = ServerKind.Mongo, ["mongodb"] = ServerKind.Mongo,
        ["redis"] = ServerKind.Redis, ["valkey"] = ServerKind.Redis, ["keydb"] = ServerKind.Redis,
        ["clickhouse-server"] = ServerKind.ClickHouse, ["clickhouse"] = ServerKind.ClickHouse,
        ["openldap"] = ServerKind.Ldap, ["slapd"] = ServerKind.Ldap,
    };

    private static readonly Dictionary<string, ServerKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mariadb"] = ServerKind.MariaDb, ["mysql"] = ServerKind.MariaDb,
        ["postgres"] = ServerKind.Postgres, ["postgresql"] = ServerKind.Postgres,
        ["mongo"] = ServerKind.Mongo, ["mongodb"] = ServerKind.Mongo,
        ["redis"] = ServerKind.Redis, ["valkey"] = ServerKind.Redis,
        ["clickhouse"] = ServerKind.ClickHouse,
        ["ldap"] = ServerKind.Ldap, ["openldap"] = ServerKind.Ldap, ["slapd"] = ServerKind.Ldap,
    };

    public static ServerKind Of(ServiceDefinition service)
    {
        if (ByRepository.TryGetValue(Repository(service.Image), out var kind))
        {
            return kind;
        }

        // "paperless-postgres", "outline-redis": the stack names a dedicated instance <app>-<server>.
        var name = service.Name;
        var dash = name.LastIndexOf('-');
        return ByName.TryGetValue(name, out kind) || (dash >= 0 && ByName.TryGetValue(name[(dash + 1)..], out kind)) ? kind : ServerKind.Other;
    }

    public static bool IsDatabase(ServiceDefinition service) =>
        Of(service) is ServerKind.MariaDb or ServerKind.Postgres or ServerKind.Mongo or ServerKind.Redis or ServerKind.ClickHouse;

    public static bool Is(ServiceDefinition service, string role) =>
        service.Name == role || Repository(service.Image).Equals(role, StringComparison.OrdinalIgnoreCase);

    /// <summary>"ghcr.io/home-assistant/home-assistant:2024.12.5" -> "home-assistant".</summary>
    public static string Repository(string? image)
    {
        var (repository, _, _) = ParseImage(image ?? string.Empty);
        var slash = repository.LastIndexOf('/');
        return slash >= 0 ? repository[(slash + 1)..] : repository;
    }

    /// <summary>Splits an image reference into repository, tag (null when none) and digest (null when none).</summary>
    public static (string Repository, string? Tag, string? Digest) ParseImage(string image)
    {
        string? digest = null;
        var at = image.IndexOf('@');
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..], digest) : (image, null, digest);
    }

    /// <summary>A host path that is the engine's API socket, or a folder that holds it.</summary>
    public static bool IsEngineSocket(string? source)
    {
        if (string.IsNullOrEmpty(source))
        {
            return false;
        }

        var path = source.TrimEnd('/');
        var file = Path.GetFileName(path);
        return file is "docker.sock" or "podman.sock" or "containerd.sock"
            || path is "/var/run" or "/run" or "/var/run/docker" or "/run/docker" or "/run/containerd" or "/var/run/containerd" or "/run/podman";
    }

    /// <summary>A published port's host address that only the host itself can reach.</summary>
    public static bool IsLoopback(string hostIp)
    {
        var host = hostIp.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
