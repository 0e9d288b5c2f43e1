namespace Datamancy.Recovery;

/// <summary>
/// What Restore-DatamancyStack and Test-DatamancyRecovery are given: a restic repository (a folder on
/// the engine's host or a URL such as rest:http://host:8000/), its password, the folder the stack
/// goes to, the image the restic tool container runs, and which point in time and profiles.
/// </summary>
public sealed record RecoveryRequest(string Repository, string Password, string Folder, string ToolImage, string? Project, DateTimeOffset? At,
    IReadOnlyList<string>? Profiles, TimeSpan Timeout);
