using Datamancy.Errors;
using Datamancy.Swarm;

namespace Datamancy.Tests.Swarm;

public sealed class SwarmKeyCheckTests
{
    [Theory]
    [InlineData("privileged: true", "privileged")]
    [InlineData("devices: [\"/dev/dri:/dev/dri\"]", "devices")]
    [InlineData("network_mode: none", "network_mode")]
    [InlineData("shm_size: 1gb", "shm_size")]
    [InlineData("container_name: fixed", "container_name")]
    [InlineData("security_opt: [\"seccomp:unconfined\"]", "security_opt")]
    [InlineData("ports: [\"127.0.0.1:389:389\"]", "ports")]
    public void A_key_the_swarm_cannot_express_is_refused_naming_service_and_key(string line, string key)
    {
        using var folder = new TestStack($"services:\n  media:\n    image: x\n    {line}\n");
        var stack = folder.Load();

        var error = Assert.Throws<DatamancyException>(() => SwarmKeyCheck.Check(stack, stack.FindService("media")!, _ => { }));

        Assert.Equal(ErrorIds.SwarmKeyUnsupported, error.ErrorId);
        Assert.Contains("'media'", error.Message);
        Assert.Contains($"'{key}'", error.Message);
        Assert.Equal("media", error.Target);
    }

    [Fact]
    public void A_documented_exception_turns_the_refusal_into_a_warning()
    {
        using var folder = new TestStack("""
            services:
              browser:
                image: x
                shm_size: 1gb
                x-datamancy-exceptions:
                  "swarm:shm_size": "Chromium copes with the default /dev/shm for a few sessions."
            """);
        var warnings = new List<string>();

        SwarmKeyCheck.Check(folder.Load(), folder.Load().FindService("browser")!, warnings.Add);

        var warning = Assert.Single(warnings);
        Assert.Contains("'shm_size' is left out", warning);
        Assert.Contains("Chromium copes", warning);
    }

    [Fact]
    public void No_new_privileges_is_mapped_not_refused_and_a_documented_host_address_is_a_warning()
    {
        using var folder = new TestStack("services:\n  web:\n    image: x\n    security_opt: [no-new-privileges]\n    ports: [\"127.0.0.1:8080:80\", \"0.0.0.0:8443:443\"]\n" +
            "    x-datamancy-exceptions:\n      \"swarm:ports\": \"The node's firewall keeps 8080 off the network.\"\n");
        var warnings = new List<string>();

        SwarmKeyCheck.Check(folder.Load(), folder.Load().FindService("web")!, warnings.Add);

        var warning = Assert.Single(warnings);
        Assert.Contains("127.0.0.1:8080:80 are published on every address", warning);
        Assert.Contains("firewall", warning);
    }

    [Fact]
    public void Tmpfs_options_a_swarm_cannot_take_are_a_warning()
    {
        using var folder = new TestStack("services:\n  web:\n    image: x\n    tmpfs: [\"/data:uid=65534,gid=65534,size=1m\"]\n");
        var warnings = new List<string>();

        SwarmKeyCheck.Check(folder.Load(), folder.Load().FindService("web")!, warnings.Add);

        Assert.Contains("uid, gid left out", Assert.Single(warnings));
    }
}
