using System.Text.RegularExpressions;
using Datamancy.Errors;
using Datamancy.Stack;

namespace Datamancy.Tests;

/// <summary>Errors name the module's own fix: the closest valid name, the switch or command that helps.</summary>
public sealed class ErrorAdviceTests
{
    [Theory]
    [InlineData("restrat", "restart")]
    [InlineData("imagee", "image")]
    [InlineData("enviroment", "environment")]
    [InlineData("depends-on", "depends_on")]
    [InlineData("Ports", "ports")]
    [InlineData("prof", "profiles")]
    public void Closest_finds_the_likely_intended_name(string typed, string meant) =>
        Assert.Equal(meant, Suggestion.Closest(typed, ["image", "restart", "environment", "depends_on", "ports", "profiles", "expose"]));

    [Theory]
    [InlineData("zzzzzz")]
    [InlineData("x")]
    [InlineData("e")]
    public void Closest_stays_silent_when_nothing_is_close(string typed) =>
        Assert.Null(Suggestion.Closest(typed, ["image", "restart", "environment", "expose"]));

    [Fact]
    public void Closest_suggests_no_prefix_shared_by_two_names() => Assert.Null(Suggestion.Closest("cap", ["cap_add", "cap_drop"]));

    [Fact]
    public void Distance_counts_a_swapped_pair_once()
    {
        Assert.Equal(1, Suggestion.Distance("restrat", "restart"));
        Assert.Equal(3, Suggestion.Distance("kitten", "sitting"));
        Assert.Equal(0, Suggestion.Distance("same", "same"));
    }

    [Fact]
    public void Unknown_service_key_suggests_the_closest_key()
    {
        var error = TestStack.LoadFails("services:\n  app:\n    image: a:1\n    restrat: always\n");
        Assert.Equal(ErrorIds.UnknownKey, error.ErrorId);
        Assert.Equal("app", error.Target);
        Assert.EndsWith("docker-compose.yml:4:5: unknown key 'restrat' in service 'app'; did you mean 'restart'?", error.Message);
    }

    [Fact]
    public void Unknown_key_far_from_every_key_lists_the_supported_ones()
    {
        var error = TestStack.LoadFails("services:\n  app:\n    image: a:1\n    healthcheck:\n      test: [CMD, 'true']\n      zzzzzz: 1\n");
        Assert.Equal(ErrorIds.UnknownKey, error.ErrorId);
        Assert.DoesNotContain("did you mean", error.Message);
        Assert.Contains("supported here: disable, interval, retries, start_interval, start_period, test, timeout", error.Message);
    }

    [Fact]
    public void Unknown_exception_kind_suggests_the_kind()
    {
        var error = TestStack.LoadFails("services:\n  a:\n    image: x\n    x-datamancy-exceptions:\n      root: because\n");
        Assert.Equal(ErrorIds.UnknownKey, error.ErrorId);
        Assert.Contains("is not an exception kind; did you mean 'root-user'?", error.Message);
    }

    [Theory]
    [InlineData("services:\n  db: {image: x}\n  app: {image: x, depends_on: [dbb]}\n", "depends on 'dbb', which is not a service of this stack; did you mean 'db'? Fix the name")]
    [InlineData("services:\n  app: {image: x, networks: [fronted]}\nnetworks:\n  frontend: {}\n", "names the network 'fronted', which is not declared under the top-level 'networks:'; did you mean 'frontend'?")]
    [InlineData("services:\n  app: {image: x, volumes: [\"dat:/data\"]}\nvolumes:\n  data: {}\n", "uses the volume 'dat', which is not declared under the top-level 'volumes:'; did you mean 'data'?")]
    public void Dangling_reference_suggests_the_closest_name(string compose, string expected)
    {
        var error = TestStack.LoadFails(compose);
        Assert.Equal(ErrorIds.UndefinedDependency, error.ErrorId);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Dangling_reference_with_nothing_close_says_only_how_to_fix()
    {
        var error = TestStack.LoadFails("services:\n  db: {image: x}\n  app: {image: x, depends_on: [zzzzzz]}\n");
        Assert.Contains("which is not a service of this stack. Fix the name, or add 'required: false'.", error.Message);
    }

    [Fact]
    public void Unknown_profile_and_service_suggest_the_closest()
    {
        using var stack = new TestStack("services:\n  grafana: {image: x, profiles: [observability]}\n  db: {image: x, profiles: [datastores]}\n");
        var model = stack.Load();
        var profile = Assert.Throws<DatamancyException>(() => ProfileResolver.Resolve(model, ["datastore"]));
        Assert.Equal(ErrorIds.ProfileNotFound, profile.ErrorId);
        Assert.Contains("'datastore' is not defined in", profile.Message);
        Assert.Contains("; did you mean 'datastores'? The stack's profiles are: datastores, observability.", profile.Message);
        Assert.Contains("did you mean 'observability'?", StackErrors.ProfileNotFound(model, "obs").Message);
        var service = Assert.Throws<DatamancyException>(() => ProfileResolver.Resolve(model, [], ["grafna"]));
        Assert.Equal(ErrorIds.ServiceNotFound, service.ErrorId);
        Assert.Contains("; did you mean 'grafana'? Run Get-DatamancyService", service.Message);
        Assert.DoesNotContain("did you mean", StackErrors.ServiceNotFound(model, "graf*").Message);
    }

    [Fact]
    public void Dependency_into_an_unselected_profile_names_IncludeDependencies()
    {
        using var stack = new TestStack("services:\n  db: {image: x, profiles: [data]}\n  app:\n    image: x\n    profiles: [apps]\n    depends_on: [db]\n");
        var error = Assert.Throws<DatamancyException>(() => ProfileResolver.Resolve(stack.Load(), ["apps"]));
        Assert.Equal(ErrorIds.UndefinedDependency, error.ErrorId);
        Assert.Contains("service 'app' depends on 'db', which is in the profile data, not selected.", error.Message);
        Assert.Contains("-IncludeDependencies", error.Message);
        Assert.Contains("select the profile data too", error.Message);
    }

    [Fact]
    public void Missing_secret_says_how_New_DatamancyStack_Force_fills_it_once()
    {
        var error = TestStack.LoadFails("services:\n  db:\n    image: x\n    environment:\n      P: \"${DB_PASSWORD:?DB_PASSWORD is not set: run New-DatamancyStack}\"\n", env: "OTHER=1\n");
        Assert.Equal(ErrorIds.VariableRequired, error.ErrorId);
        Assert.Equal("DB_PASSWORD", error.Target);
        Assert.Matches(@"docker-compose\.yml:5:10: the secret DB_PASSWORD is not set\. Run New-DatamancyStack -Path '[^']+' -Force to generate the missing secrets", error.Message);
        Assert.Contains("keeps every value .env already has", error.Message);
        Assert.Single(Regex.Matches(error.Message, "is not set"));
        Assert.Single(Regex.Matches(error.Message, "New-DatamancyStack"));
        Assert.DoesNotContain("..", error.Message);
    }

    [Fact]
    public void Empty_secret_is_named_empty()
    {
        var error = TestStack.LoadFails("services:\n  db:\n    image: x\n    environment:\n      P: ${DB_PASSWORD:?DB_PASSWORD is not set}\n", env: "DB_PASSWORD=\n");
        Assert.Contains("the secret DB_PASSWORD is empty. Run New-DatamancyStack", error.Message);
    }

    [Theory]
    [InlineData("${TAG:?TAG is required}", "the variable TAG is not set. Set TAG in the stack's .env or in the environment.")]
    [InlineData("${TAG:?pick an image version}", "the variable TAG is not set (the compose file says: pick an image version). Set TAG")]
    [InlineData("${TAG:?}", "the variable TAG is not set. Set TAG")]
    public void Missing_plain_variable_quotes_the_compose_text_only_when_it_adds(string template, string expected)
    {
        var error = TestStack.LoadFails($"services:\n  app:\n    image: \"x:{template}\"\n");
        Assert.Equal(ErrorIds.VariableRequired, error.ErrorId);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("New-DatamancyStack", error.Message);
    }
}
