using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Fingerprints;

/// <summary>Computes services' fingerprints from the stack model, their config folders and their containers.</summary>
public static class FingerprintCalculator
{
    /// <summary>The folder a service's ConfigHash covers: &lt;stack&gt;/&lt;service&gt;.</summary>
    public static string ConfigFolder(StackDefinition stack, ServiceDefinition service) => Path.Combine(stack.Directory, service.Name);

    /// <summary>
    /// Each service's parts, or the error that kept one from being computed. <paramref name="live"/>
    /// is the engine's view (null: no engine), whose image ID is used whenever a container exists.
    /// </summary>
    public static IReadOnlyList<(ServiceDefinition Service, FingerprintParts? Parts, DatamancyException? Error)> Compute(
        StackDefinition stack, IReadOnlyList<ServiceDefinition> services, IReadOnlyDictionary<string, LiveState>? live,
        Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var trees = ConfigTreeHasher.HashAll(services.Select(s => ConfigFolder(stack, s)).ToList(), cancellationToken);
        return services.Select((service, i) =>
        {
            if (trees[i].Error is { } treeError)
            {
                return (service, (FingerprintParts?)null, (DatamancyException?)treeError);
            }

            try
            {
                var state = live?.GetValueOrDefault(service.Name);
                var hasContainer = state is not null && state.ImageId.Length > 0;
                return (service, new FingerprintParts(
                    hasContainer ? state!.ImageId : string.Empty,
                    hasContainer ? state!.RepoDigest : string.Empty,
                    trees[i].Hash!,
                    EnvHash(service, environment),
                    ComposeHash(service)), null);
            }
            catch (DatamancyException exception)
            {
                return (service, null, exception);
            }
        }).ToList();
    }

    /// <summary>
    /// sha256: of the environment the container gets (env_file contents, then environment:, host
    /// values for bare names), keys sorted, as JSON. Only the hash leaves this method.
    /// </summary>
    public static string EnvHash(ServiceDefinition service, Func<string, string?> environment)
    {
        List<string> pairs;
        try
        {
            pairs = ContainerSpecBuilder.Environment(service, environment);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DatamancyException(ErrorIds.ConfigUnreadable, ErrorKind.InvalidData,
                $"Cannot read an env_file of service '{service.Name}': {exception.Message} Fix the path in its env_file or create the file.", service.Name, exception);
        }

        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            sorted[pair[..equals]] = pair[(equals + 1)..];
        }

        return Digest(JsonSerializer.Serialize(sorted));
    }

    /// <summary>sha256: of the canonical resolved stanza (ServiceHasher's form) without its environment, which EnvHash covers.</summary>
    public static string ComposeHash(ServiceDefinition service)
    {
        var stanza = JsonNode.Parse(ServiceHasher.CanonicalJson(service))!.AsObject();
        stanza.Remove("environment");
        return Digest(stanza.ToJsonString());
    }

    private static string Digest(string text) => ConfigTreeHasher.Prefix + Sha256SumLine.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
