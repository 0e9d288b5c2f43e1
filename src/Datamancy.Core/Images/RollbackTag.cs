namespace Datamancy.Images;

/// <summary>
/// The name an update gives the image a service ran before it ("repo:datamancy-rollback-web"): no
/// prune removes a named image, and a rollback or a pinned start creates the container from it, so
/// the container names a real image (as Watchtower and docker ps read it), not a bare id.
/// </summary>
public static class RollbackTag
{
    public static string TagFor(string service) => $"datamancy-rollback-{service}";

    public static string Reference(string image, string service) => $"{ImageNames.Repository(image)}:{TagFor(service)}";
}
