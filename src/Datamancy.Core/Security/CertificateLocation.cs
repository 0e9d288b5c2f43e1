using System.Globalization;
using Datamancy.Stack.Model;

namespace Datamancy.Security;

/// <summary>
/// Where the stack keeps its TLS files: the host folder that a service (Caddy) mounts at
/// /etc/caddy/certs, the Caddyfile's default for {$DATAMANCY_TLS_DIR}; else &lt;stack&gt;/caddy/certs.
/// </summary>
public sealed record CertificateLocation(string Directory, ServiceDefinition? Service)
{
    public const string ContainerDirectory = "/etc/caddy/certs";
    public const string AuthorityFile = "ca.crt";
    public const string CertificateFile = "wildcard.crt";
    public const string KeyFile = "wildcard.key";

    public string AuthorityPath => Path.Combine(Directory, AuthorityFile);

    public string CertificatePath => Path.Combine(Directory, CertificateFile);

    public string KeyPath => Path.Combine(Directory, KeyFile);

    /// <summary>The numeric uid:gid the mounting service runs as (its user:), when it gives one.</summary>
    public (int Uid, int Gid)? ServiceUser
    {
        get
        {
            var parts = Service?.User?.Split(':');
            if (parts is null || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                return null;
            }

            return (uid, parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var gid) ? gid : uid);
        }
    }

    public static CertificateLocation Find(StackDefinition stack)
    {
        foreach (var service in stack.Services)
        {
            var mount = service.Volumes.FirstOrDefault(v => v.Type == "bind" && v.Source is not null
                && v.Target.TrimEnd('/') == ContainerDirectory);
            if (mount is not null)
            {
                return new CertificateLocation(mount.Source!, service);
            }
        }

        return new CertificateLocation(Path.Combine(stack.Directory, "caddy", "certs"), stack.FindService("caddy"));
    }
}
