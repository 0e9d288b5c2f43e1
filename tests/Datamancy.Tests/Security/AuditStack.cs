using Datamancy.Security.Audit;
using Datamancy.Stack;

namespace Datamancy.Tests.Security;

/// <summary>
/// A small stack that passes every audit rule (caddy, authelia, an app, a database, their routes,
/// a .env of strong secrets at mode 600), with hooks to break one thing at a time.
/// </summary>
internal sealed class AuditStack : IDisposable
{
    public const string AppPassword = "4f1c2a9be07d3e865f14a2b7c9d0e3f1a6b58c7d2e9f0a1b4c3d6e5f7a8b9c0d";
    public const string DbPassword = "9b8a7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f3021120f3e4d5c6b7a80";

    public const string Compose = """
        services:
          caddy:
            image: caddy:2.8.4-alpine
            user: "65534:65534"
            cap_drop: [ALL]
            ports: ["80:80", "443:443"]
            volumes: ["./caddy/Caddyfile:/etc/caddy/Caddyfile:ro"]
          authelia:
            image: authelia/authelia:4.38.19
            user: "1000:1000"
            cap_drop: [ALL]
          app:
            image: grafana/grafana:11.3.1
            user: "472:472"
            cap_drop: [ALL]
            environment:
              GF_SECURITY_ADMIN_PASSWORD: "${APP_ADMIN_PASSWORD:?APP_ADMIN_PASSWORD is not set}"
        #APP
          db:
            image: postgres:16-alpine
            user: "70:70"
            cap_drop: [ALL]
            environment:
              POSTGRES_PASSWORD: "${DB_PASSWORD:?DB_PASSWORD is not set}"
            labels:
              com.centurylinklabs.watchtower.enable: "false"
        #SERVICES
        """;

    public const string Caddyfile = """
        (security_headers) {
        	header {
        		Strict-Transport-Security "max-age=31536000; includeSubDomains"
        		Content-Security-Policy "default-src 'self'"
        	}
        }

        authelia.stack.local {
        	import security_headers
        	reverse_proxy authelia:9091
        }

        app.stack.local {
        	import security_headers
        	forward_auth authelia:9091 {
        		uri /api/authz/forward-auth
        	}
        #ROUTE
        	reverse_proxy app:3000
        }
        """;

    public AuditStack(Func<string, string>? compose = null, Func<string, string>? caddyfile = null, string? env = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "dm-xunit-audit-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "caddy"));
        File.WriteAllText(Path.Combine(Directory, "docker-compose.yml"), (compose ?? (c => c))(Compose.Replace("\r\n", "\n")));
        File.WriteAllText(Path.Combine(Directory, "caddy", "Caddyfile"), (caddyfile ?? (c => c))(Caddyfile.Replace("\r\n", "\n")));
        var envFile = Path.Combine(Directory, ".env");
        Datamancy.Files.PrivateFile.WriteAllText(envFile, env ?? $"APP_ADMIN_PASSWORD={AppPassword}\nDB_PASSWORD={DbPassword}\n");
    }

    public string Directory { get; }

    public string EnvFile => Path.Combine(Directory, ".env");

    /// <summary>Lines added to the app service (indented as its keys).</summary>
    public static Func<string, string> App(string lines) => c => c.Replace("#APP", Indent(lines, 4));

    /// <summary>Services added to the stack.</summary>
    public static Func<string, string> Services(string yaml) => c => c.Replace("#SERVICES", Indent(yaml, 2));

    /// <summary>Directives added to the app's site, before its reverse_proxy.</summary>
    public static Func<string, string> Route(string lines) => c => c.Replace("#ROUTE", lines);

    public IReadOnlyList<SecurityFinding> Audit(IReadOnlyList<LiveService>? live = null, IReadOnlyDictionary<string, string>? environment = null) =>
        SecurityAuditor.Audit(new StackLoader(n => environment?.GetValueOrDefault(n)).Load(Directory), live, n => environment?.GetValueOrDefault(n));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static string Indent(string lines, int spaces) =>
        string.Join("\n", lines.Replace("\r\n", "\n").Trim('\n').Split('\n').Select(l => new string(' ', spaces) + l));
}
