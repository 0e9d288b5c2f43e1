using Datamancy.Engine;
using Datamancy.Images;
using Datamancy.Stack.Model;

namespace Datamancy.Updates;

/// <summary>
/// One service against its registry: the container and image it runs, the digest the registry serves
/// for its tag now, whether its label excludes it from updates, its pin, and why the registry could
/// not be asked (Error).
/// </summary>
public sealed record UpdateCandidate(ServiceDefinition Service, LiveContainer? Container, string RunningImageId, string RunningDigest,
    string RegistryDigest, bool Excluded, ImagePin? Pin, string? Error)
{
    /// <summary>The label the stack sets (as Watchtower reads it) on services updates must leave alone: the databases.</summary>
    public const string ExcludeLabel = "com.centurylinklabs.watchtower.enable";

    /// <summary>True or false once the registry answered; null before.</summary>
    public bool? UpdateAvailable => RegistryDigest.Length == 0 ? null : RegistryDigest != RunningDigest;

    public static bool IsExcluded(ServiceDefinition service) =>
        service.Labels.TryGetValue(ExcludeLabel, out var enabled) && string.Equals(enabled, "false", StringComparison.OrdinalIgnoreCase);

    public string Note => Error is { } error ? error
        : Excluded && RegistryDigest.Length == 0 ? $"excluded from updates by its label {ExcludeLabel}=false; -IncludeExcluded checks it"
        : Pin is { } pin ? $"held on {pin.ImageId[..Math.Min(19, pin.ImageId.Length)]} since {pin.PinnedAt:u}: {pin.Reason}"
        : Container is null ? "no container: Start-DatamancyService runs the registry's image"
        : string.Empty;

    public UpdateInfo ToInfo(StackDefinition stack) =>
        new(Service.Name, Service.Image!, RunningDigest, RegistryDigest, UpdateAvailable, Excluded, Pin?.ImageId ?? string.Empty, Note, RunningImageId, stack.Directory);
}
