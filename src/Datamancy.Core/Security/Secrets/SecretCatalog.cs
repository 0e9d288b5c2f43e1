namespace Datamancy.Security.Secrets;

/// <summary>
/// The bundled stack's secrets that a new value would break beyond repair from here: keys that
/// encrypt stored data, and admin passwords an app copies into its own database at first start.
/// Update-DatamancySecret refuses them unless -Force.
/// </summary>
public static class SecretCatalog
{
    private static readonly Dictionary<string, string> Pinned = new(StringComparer.Ordinal)
    {
        ["KOPIA_REPOSITORY_PASSWORD"] = "it encrypts the Kopia repository: with a new value the existing backups cannot be opened. Change it with 'kopia repository change-password' inside the kopia container first",
        ["AUTHELIA_STORAGE_ENCRYPTION_KEY"] = "it encrypts Authelia's storage (TOTP and WebAuthn data): change it with 'authelia storage encryption change-key' first",
        ["LIBRECHAT_CREDS_KEY"] = "it encrypts the credentials LibreChat stores: a new value makes them unreadable",
        ["LIBRECHAT_CREDS_IV_SECRET"] = "it is the IV of the credentials LibreChat stores: a new value makes them unreadable",
        ["OUTLINE_SECRET_KEY"] = "Outline encrypts stored integration secrets with it: a new value makes them unreadable",
        ["GRAFANA_ADMIN_PASSWORD"] = "Grafana copies it into its database at first start: change it in Grafana first ('grafana cli admin reset-admin-password')",
        ["NEXTCLOUD_ADMIN_PASSWORD"] = "Nextcloud copies it into its database at installation: change it in Nextcloud first ('occ user:resetpassword admin')",
        ["PAPERLESS_ADMIN_PASSWORD"] = "Paperless creates its admin with it at first start only: change it in Paperless first ('manage.py changepassword')",
        ["PLANKA_ADMIN_PASSWORD"] = "Planka creates its admin with it at first start only: change it in Planka first",
    };

    public static string? PinnedReason(string name) => Pinned.GetValueOrDefault(name);
}
