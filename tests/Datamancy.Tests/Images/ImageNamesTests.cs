using Datamancy.Engine;
using Datamancy.Images;
using Xunit;

namespace Datamancy.Tests.Images;

/// <summary>Image references read as the docker CLI reads them, the engine's progress lines, and the auth header.</summary>
public sealed class ImageNamesTests
{
    [Theory]
    [InlineData("nginx", "docker.io", "nginx", "latest")]
    [InlineData("grafana/grafana:11.2.0", "docker.io", "grafana/grafana", "11.2.0")]
    [InlineData("127.0.0.1:5000/app:1", "127.0.0.1:5000", "127.0.0.1:5000/app", "1")]
    [InlineData("localhost/app", "localhost", "localhost/app", "latest")]
    [InlineData("ghcr.io/owner/app@sha256:abc", "ghcr.io", "ghcr.io/owner/app", null)]
    public void Splits_a_reference_into_registry_repository_and_tag(string reference, string registry, string repository, string? tag)
    {
        Assert.Equal(registry, ImageNames.Registry(reference));
        Assert.Equal(repository, ImageNames.Repository(reference));
        Assert.Equal(tag, ImageNames.Tag(reference));
    }

    [Fact]
    public void Finds_the_digest_of_the_references_repository_among_an_images_digests()
    {
        string[] digests = ["127.0.0.1:5000/other@sha256:111", "127.0.0.1:5000/app@sha256:222"];
        Assert.Equal("sha256:222", ImageNames.DigestFor("127.0.0.1:5000/app:1", digests));
        Assert.Equal("sha256:333", ImageNames.DigestFor("redis:7", ["redis@sha256:333"]));
        Assert.Equal(string.Empty, ImageNames.DigestFor("127.0.0.1:5000/nothere:1", digests));
    }

    [Fact]
    public void The_rollback_tag_names_the_repository_of_the_service_image()
    {
        Assert.Equal("127.0.0.1:5000/app:datamancy-rollback-web", RollbackTag.Reference("127.0.0.1:5000/app:1", "web"));
    }

    [Fact]
    public void Counts_layers_and_bytes_from_the_engines_pull_lines_and_ignores_the_tags_own()
    {
        var layers = new LayerProgress();
        Assert.False(layers.Add(new PullProgress("app:1", "1", "Pulling from app", 0, 0)));
        Assert.True(layers.Add(new PullProgress("app:1", "aaa", "Downloading", 1048576, 4194304)));
        Assert.True(layers.Add(new PullProgress("app:1", "bbb", "Already exists", 0, 0)));
        Assert.Equal("1 of 2 layers done, 1.0 of 4.0 MB", layers.Describe());
        layers.Add(new PullProgress("app:1", "aaa", "Pull complete", 0, 0));
        Assert.Equal("2 of 2 layers done, 4.0 of 4.0 MB", layers.Describe());
    }

    [Fact]
    public void The_registry_auth_header_is_base64url_json_as_the_docker_cli_writes_it()
    {
        var header = EngineHttp.AuthHeader(new RegistryAuth("127.0.0.1:5000", "alice", "s3cr?t>"));
        Assert.DoesNotContain('+', header);
        Assert.DoesNotContain('/', header);
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/')));
        Assert.Equal("{\"username\":\"alice\",\"password\":\"s3cr?t>\",\"serveraddress\":\"127.0.0.1:5000\"}", json.Replace("\\u003E", ">").Replace("\\u003F", "?"));
        Assert.DoesNotContain("s3cr", new RegistryAuth("r", "alice", "s3cr?t>").ToString());
    }
}
