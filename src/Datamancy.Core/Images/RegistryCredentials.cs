using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Datamancy.Engine;
using Datamancy.Errors;

namespace Datamancy.Images;

/// <summary>
/// The user's registry credentials, found as the docker CLI finds them in its config file
/// ($DOCKER_CONFIG/config.json, else ~/.docker/config.json): a credential helper named for the
/// registry (credHelpers) or for all (credsStore), else the file's own auths entry. Nothing is read
/// until an image of that registry is pulled or inspected; nothing read is ever printed.
/// </summary>
public sealed class RegistryCredentials
{
    private readonly string _configPath;
    private readonly Dictionary<string, RegistryAuth?> _found = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private JsonDocument? _config;

    public RegistryCredentials(Func<string, string?> environment)
    {
        var folder = environment("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        _configPath = Path.Combine(folder, "config.json");
    }

    public string ConfigPath => _configPath;

    /// <summary>The credentials for the registry of <paramref name="reference"/>, or null to go anonymous.</summary>
    public RegistryAuth? For(string reference)
    {
        var registry = ImageNames.Registry(reference);
        lock (_gate)
        {
            if (!_found.TryGetValue(registry, out var auth))
            {
                _found[registry] = auth = Find(registry);
            }

            return auth;
        }
    }

    private RegistryAuth? Find(string registry)
    {
        var config = Config();
        if (config is null)
        {
            return null;
        }

        var key = registry == "docker.io" ? ImageNames.DockerHubKey : registry;
        var root = config.RootElement;
        if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object
            && helpers.TryGetProperty(registry, out var helper) && helper.GetString() is { Length: > 0 } named)
        {
            return FromHelper(named, key);
        }

        if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
        {
            return FromHelper(storeName, key);
        }

        if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in auths.EnumerateObject())
            {
                if (Hostname(entry.Name) == Hostname(key) || (registry == "docker.io" && Hostname(entry.Name) is "index.docker.io" or "docker.io"))
                {
                    return FromEntry(entry.Value, key);
                }
            }
        }

        return null;
    }

    private JsonDocument? Config()
    {
        if (_config is not null || !File.Exists(_configPath))
        {
            return _config;
        }

        try
        {
            return _config = JsonDocument.Parse(File.ReadAllText(_configPath));
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new DatamancyException(ErrorIds.RegistryCredentialsInvalid, ErrorKind.InvalidData,
                $"The docker CLI's config file {_configPath} could not be read ({exception.GetType().Name}); fix it or log in again with 'docker login'.", _configPath, exception);
        }
    }

    private RegistryAuth FromEntry(JsonElement entry, string key)
    {
        if (entry.TryGetProperty("identitytoken", out var token) && token.GetString() is { Length: > 0 } identity)
        {
            return new RegistryAuth(key, string.Empty, string.Empty, identity);
        }

        if (entry.TryGetProperty("auth", out var encoded) && encoded.GetString() is { Length: > 0 } auth)
        {
            string pair;
            try
            {
                pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException exception)
            {
                throw Invalid(key, "its 'auth' is not base64", exception);
            }

            var colon = pair.IndexOf(':');
            return colon > 0 ? new RegistryAuth(key, pair[..colon], pair[(colon + 1)..]) : throw Invalid(key, "its 'auth' is not user:password", null);
        }

        var user = entry.TryGetProperty("username", out var u) ? u.GetString() : null;
        var password = entry.TryGetProperty("password", out var p) ? p.GetString() : null;
        return user is { Length: > 0 } && password is not null ? new RegistryAuth(key, user, password) : throw Invalid(key, "it has neither 'auth' nor a user name and password", null);
    }

    // The docker CLI's credential helper protocol: "get" with the server on stdin, JSON with Username and Secret back.
    private RegistryAuth? FromHelper(string helper, string key)
    {
        var start = new ProcessStartInfo("docker-credential-" + helper, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Write(key);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                throw Invalid(key, $"the credential helper docker-credential-{helper} did not answer within 30 s", null);
            }

            if (process.ExitCode != 0)
            {
                return null; // "credentials not found": anonymous, as the docker CLI goes on.
            }

            using var json = JsonDocument.Parse(output);
            var user = json.RootElement.GetProperty("Username").GetString() ?? string.Empty;
            var secret = json.RootElement.GetProperty("Secret").GetString() ?? string.Empty;
            return user == "<token>" ? new RegistryAuth(key, string.Empty, string.Empty, secret) : new RegistryAuth(key, user, secret);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw Invalid(key, $"its credential helper docker-credential-{helper} is not installed", exception);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Invalid(key, $"the credential helper docker-credential-{helper} answered something that is not its JSON", exception);
        }
    }

    private DatamancyException Invalid(string key, string why, Exception? inner) =>
        new(ErrorIds.RegistryCredentialsInvalid, ErrorKind.InvalidData,
            $"The credentials for {key} in {_configPath} cannot be used: {why}. Log in again with 'docker login {key}'.", key, inner);

    private static string Hostname(string key)
    {
        var host = key.Replace("https://", string.Empty, StringComparison.Ordinal).Replace("http://", string.Empty, StringComparison.Ordinal);
        var slash = host.IndexOf('/');
        return slash >= 0 ? host[..slash] : host;
    }
}
