using System.Security.Cryptography;
using Datamancy.Engine;
using Datamancy.Reporting;
using Datamancy.Stack.Model;
using Docker.DotNet.Models;

namespace Datamancy.Swarm;

/// <summary>A swarm config or secret to create: its content-hashed name, its data, and where it comes from (for messages; never the data).</summary>
public sealed record SwarmObjectData(string Name, byte[] Data, string Origin)
{
    public override string ToString() => Name;
}

/// <summary>What configs and secrets differ in: their engine calls and where a ServiceSpec names them.</summary>
public sealed record SwarmObjectKind(
    string Noun,
    Func<IDockerEngine, CancellationToken, Task<IReadOnlyList<SwarmObjectInfo>>> List,
    Func<IDockerEngine, string, byte[], IReadOnlyDictionary<string, string>, CancellationToken, Task<string>> Create,
    Func<IDockerEngine, string, CancellationToken, Task<bool>> Remove,
    Func<ContainerSpec, IEnumerable<string>> Used)
{
    public static readonly SwarmObjectKind Config = new("config", (e, c) => e.ListConfigsAsync(c), (e, n, d, l, c) => e.CreateConfigAsync(n, d, l, c),
        (e, i, c) => e.RemoveConfigAsync(i, c), s => (s.Configs ?? []).Select(r => r.ConfigName));

    public static readonly SwarmObjectKind Secret = new("secret", (e, c) => e.ListSecretsAsync(c), (e, n, d, l, c) => e.CreateSecretAsync(n, d, l, c),
        (e, i, c) => e.RemoveSecretAsync(i, c), s => (s.Secrets ?? []).Select(r => r.SecretName));

    public override string ToString() => Noun;
}

/// <summary>
/// The stack's swarm configs and secrets: immutable, so each content gets its own name
/// (&lt;head&gt;_&lt;16 hex of its sha256&gt;); created before the services that use them, labelled with the
/// stack's namespace, and removed once no service of the stack refers to them.
/// </summary>
public static class SwarmObjectStore
{
    // Swarm object names are at most 64 characters.
    private const int NameLimit = 64;
    private const int HashLength = 16;

    public static string VersionedName(string head, byte[] data)
    {
        var hash = Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant()[..HashLength];
        var limit = NameLimit - HashLength - 1;
        return $"{(head.Length > limit ? head[..limit] : head)}_{hash}";
    }

    /// <summary>The names of the objects of this kind that exist now.</summary>
    public static async Task<IReadOnlySet<string>> PresentAsync(IDockerEngine engine, SwarmObjectKind kind, CancellationToken cancellationToken) =>
        (await kind.List(engine, cancellationToken).ConfigureAwait(false)).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Creates the missing objects and returns the id of every object of the kind, by name.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnsureAsync(IDockerEngine engine, SwarmObjectKind kind, StackDefinition stack,
        IReadOnlyList<SwarmObjectData> missing, IReporter reporter, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [SwarmLabels.Namespace] = stack.ProjectName };
        foreach (var item in missing)
        {
            reporter.Verbose($"Creating swarm {kind} {item.Name} from {item.Origin}.");
            await kind.Create(engine, item.Name, item.Data, labels, cancellationToken).ConfigureAwait(false);
        }

        return (await kind.List(engine, cancellationToken).ConfigureAwait(false))
            .GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
    }

    /// <summary>Removes the stack's objects of the kind that no service of the stack refers to (older versions, or those of removed services).</summary>
    public static async Task RemoveUnusedAsync(IDockerEngine engine, SwarmObjectKind kind, StackDefinition stack, IReporter reporter, CancellationToken cancellationToken)
    {
        var services = await engine.ListServicesAsync(SwarmLabels.Stack(stack.ProjectName), cancellationToken).ConfigureAwait(false);
        var used = services.SelectMany(s => s.Spec?.TaskTemplate?.ContainerSpec is { } container ? kind.Used(container) : []).ToHashSet(StringComparer.Ordinal);
        var objects = await kind.List(engine, cancellationToken).ConfigureAwait(false);
        foreach (var item in objects.Where(c => c.Labels.GetValueOrDefault(SwarmLabels.Namespace) == stack.ProjectName && !used.Contains(c.Name)))
        {
            // An object still held by a task being replaced is refused by the engine; the next deploy removes it.
            try
            {
                await kind.Remove(engine, item.Id, cancellationToken).ConfigureAwait(false);
                reporter.Verbose($"Removed swarm {kind} {item.Name}, which no service of the stack uses.");
            }
            catch (Errors.DatamancyException exception) when (EngineFailures.IsRefusal(exception))
            {
                reporter.Verbose($"Swarm {kind} {item.Name} is still in use and stays: {exception.Message}");
            }
        }
    }

    /// <summary>Both kinds: what a deploy leaves behind and what a stop with -Remove takes.</summary>
    public static async Task RemoveAllUnusedAsync(IDockerEngine engine, StackDefinition stack, IReporter reporter, CancellationToken cancellationToken)
    {
        await RemoveUnusedAsync(engine, SwarmObjectKind.Config, stack, reporter, cancellationToken).ConfigureAwait(false);
        await RemoveUnusedAsync(engine, SwarmObjectKind.Secret, stack, reporter, cancellationToken).ConfigureAwait(false);
    }
}
