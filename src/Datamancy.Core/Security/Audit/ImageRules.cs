using Datamancy.Stack.Model;

namespace Datamancy.Security.Audit;

/// <summary>Images: pinned versions, and databases kept out of Watchtower's automatic updates.</summary>
internal static class ImageRules
{
    public const string WatchtowerLabel = "com.centurylinklabs.watchtower.enable";

    public static void Check(StackDefinition stack, FindingSink sink)
    {
        // With label-enable, Watchtower updates only containers labelled enable=true: then an unlabelled database is safe.
        var optIn = stack.Services.Where(s => ServiceKinds.Is(s, "watchtower")).Any(s =>
            (s.Environment.TryGetValue("WATCHTOWER_LABEL_ENABLE", out var v) && v?.Trim().ToLowerInvariant() is "true" or "1")
            || (s.Command ?? []).Contains("--label-enable"));
        foreach (var service in stack.Services)
        {
            var location = service.Mark.ToString();
            var image = service.Image ?? string.Empty;
            var (_, tag, digest) = ServiceKinds.ParseImage(image);
            if (digest is null && (tag is null || tag == "latest"))
            {
                sink.Add(SecurityRules.MutableTag, service.Name,
                    $"{service.Name} uses the image '{image}', {(tag is null ? "which has no tag (so 'latest')" : "on the moving 'latest' tag")}.",
                    AuditSources.Compose, location, "image");
            }

            if (!ServiceKinds.IsDatabase(service))
            {
                continue;
            }

            var label = service.Labels.TryGetValue(WatchtowerLabel, out var value) ? value.Trim().ToLowerInvariant() : null;
            if (optIn ? label is "true" : label is not "false")
            {
                sink.Add(SecurityRules.DatabaseAutoUpdate, service.Name,
                    $"{service.Name} is a database that Watchtower may update automatically: it lacks the label {WatchtowerLabel}=false.",
                    AuditSources.Compose, location, "watchtower");
            }
        }
    }
}
