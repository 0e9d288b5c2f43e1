using Datamancy.Engine;
using Datamancy.Errors;

namespace Datamancy.Security.Secrets;

/// <summary>Errors of the secret stores, with the server's own words scrubbed of every secret in play.</summary>
internal static class StoreErrors
{
    public static DatamancyException Unavailable(SecretTarget target, string what, ExecResult? result, params string?[] secrets) =>
        new(ErrorIds.SecretTargetUnavailable, ErrorKind.ResourceUnavailable, $"{target}: {what}{Detail(result, secrets)}", target.Service);

    public static DatamancyException Failed(SecretTarget target, string what, ExecResult? result, params string?[] secrets) =>
        new(ErrorIds.SecretRotationFailed, ErrorKind.InvalidOperation, $"{target}: {what}{Detail(result, secrets)}", target.Service);

    /// <summary>The first lines of what the command said, each secret replaced by ***.</summary>
    public static string Scrub(string text, params string?[] secrets)
    {
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)).OrderByDescending(s => s!.Length))
        {
            text = text.Replace(secret!, "***", StringComparison.Ordinal);
        }

        var lines = text.Replace("\r", string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3);
        var joined = string.Join(" ", lines);
        return joined.Length > 400 ? joined[..400] + "..." : joined;
    }

    private static string Detail(ExecResult? result, string?[] secrets)
    {
        if (result is null)
        {
            return ".";
        }

        var said = Scrub(result.StandardError.Length > 0 ? result.StandardError : result.StandardOutput, secrets);
        return said.Length > 0 ? $" (exit code {result.ExitCode}: {said})." : $" (exit code {result.ExitCode}).";
    }
}
