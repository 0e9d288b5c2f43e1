namespace Datamancy.Checks;

/// <summary>The names of the built-in checks, as CheckResult.Check reports them.</summary>
public static class CheckNames
{
    public const string Container = "Container";
    public const string Dependencies = "Dependencies";
    public const string Https = "Https";
    public const string SecurityHeaders = "SecurityHeaders";
    public const string Browser = "Browser";

    /// <summary>A check declared in x-datamancy-checks: "GET /path".</summary>
    public static string Declared(string path) => "GET " + path;
}
