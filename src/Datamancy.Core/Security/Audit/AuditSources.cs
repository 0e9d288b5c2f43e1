namespace Datamancy.Security.Audit;

/// <summary>The Source values of a finding.</summary>
public static class AuditSources
{
    public const string Compose = "compose";
    public const string Caddy = "caddy";
    public const string Env = "env";
    public const string Live = "live";
}
