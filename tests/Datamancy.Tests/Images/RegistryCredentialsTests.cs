using Datamancy.Errors;
using Datamancy.Images;
using Xunit;

namespace Datamancy.Tests.Images;

/// <summary>The docker CLI's config file as RegistryCredentials reads it: auths entries, credential helpers, and what is refused.</summary>
public sealed class RegistryCredentialsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dm-dockercfg-" + Guid.NewGuid().ToString("N"));

    public RegistryCredentialsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RegistryCredentials With(string json, string? path = null)
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"), json);
        return new RegistryCredentials(name => name switch { "DOCKER_CONFIG" => _folder, "PATH" => path, _ => null });
    }

    [Fact]
    public void Reads_an_auths_entry_of_the_images_registry()
    {
        var encoded = Convert.ToBase64String("alice:pa:ss"u8.ToArray());
        var credentials = With($"{{\"auths\":{{\"127.0.0.1:5000\":{{\"auth\":\"{encoded}\"}},\"https://index.docker.io/v1/\":{{\"auth\":\"{Convert.ToBase64String("bob:x"u8.ToArray())}\"}}}}}}");
        var auth = credentials.For("127.0.0.1:5000/app:1")!;
        Assert.Equal(("alice", "pa:ss", "127.0.0.1:5000"), (auth.UserName, auth.Password, auth.ServerAddress));
        Assert.Equal("bob", credentials.For("grafana/grafana:11")!.UserName);
        Assert.Null(credentials.For("ghcr.io/owner/app:1"));
    }

    [Fact]
    public void Has_no_credentials_without_a_config_file()
    {
        var credentials = new RegistryCredentials(name => name == "DOCKER_CONFIG" ? Path.Combine(_folder, "none") : null);
        Assert.Null(credentials.For("127.0.0.1:5000/app:1"));
    }

    [Fact]
    public void Refuses_a_config_that_is_not_json_or_an_auth_that_is_not_base64_naming_the_file_not_the_secret()
    {
        var broken = Assert.Throws<DatamancyException>(() => With("{ not json").For("127.0.0.1:5000/app:1"));
        Assert.Equal(ErrorIds.RegistryCredentialsInvalid, broken.ErrorId);
        Assert.Contains("config.json", broken.Message);
        var notBase64 = Assert.Throws<DatamancyException>(() => With("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"%%%secret%%%\"}}}").For("127.0.0.1:5000/app"));
        Assert.Equal(ErrorIds.RegistryCredentialsInvalid, notBase64.ErrorId);
        Assert.DoesNotContain("secret", notBase64.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Asks_the_credential_helper_the_config_names_for_the_registry()
    {
        var helper = Path.Combine(_folder, "docker-credential-dmtest");
        File.WriteAllText(helper, "#!/bin/sh\nread server\n[ \"$1\" = get ] && printf '{\"ServerURL\":\"%s\",\"Username\":\"carol\",\"Secret\":\"from-helper\"}' \"$server\"\n");
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var saved = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", _folder + ":" + saved);
        try
        {
            var auth = With("{\"credHelpers\":{\"127.0.0.1:5000\":\"dmtest\"}}").For("127.0.0.1:5000/app:1")!;
            Assert.Equal(("carol", "from-helper"), (auth.UserName, auth.Password));
            var missing = Assert.Throws<DatamancyException>(() => With("{\"credsStore\":\"nosuchhelper\"}").For("ghcr.io/a/b"));
            Assert.Contains("docker-credential-nosuchhelper is not installed", missing.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", saved);
        }
    }
}
