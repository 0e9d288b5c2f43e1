namespace Datamancy;

/// <summary>When a start pulls a service's image: Missing (only when the engine lacks it, as Compose), Always, or Never.</summary>
public enum PullPolicy
{
    Missing,
    Always,
    Never,
}
