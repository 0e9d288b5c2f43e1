using System.Globalization;
using System.Text.RegularExpressions;

namespace Datamancy.Checks;

/// <summary>
/// The response headers every site of the stack must send (the Caddyfile's security_headers):
/// HSTS for at least a year, a Content-Security-Policy, nosniff, framing restricted by
/// X-Frame-Options or CSP frame-ancestors, and a Referrer-Policy.
/// </summary>
public static partial class SecurityHeaderRules
{
    public const long MinimumHstsMaxAge = 31536000;

    public static (bool Passed, string Detail) Evaluate(Func<string, string?> header)
    {
        var problems = new List<string>();
        var seen = new List<string>();

        var hsts = header("Strict-Transport-Security");
        if (string.IsNullOrWhiteSpace(hsts))
        {
            problems.Add("Strict-Transport-Security is missing");
        }
        else if (MaxAgePattern().Match(hsts) is not { Success: true } maxAge
            || !long.TryParse(maxAge.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            problems.Add($"Strict-Transport-Security has no max-age ('{hsts}')");
        }
        else if (seconds < MinimumHstsMaxAge)
        {
            problems.Add($"Strict-Transport-Security max-age is {seconds}, below {MinimumHstsMaxAge} (one year)");
        }
        else
        {
            seen.Add($"HSTS max-age={seconds}");
        }

        var csp = header("Content-Security-Policy");
        if (string.IsNullOrWhiteSpace(csp))
        {
            problems.Add("Content-Security-Policy is missing");
        }
        else
        {
            seen.Add("CSP");
        }

        var nosniff = header("X-Content-Type-Options");
        if (!string.Equals(nosniff?.Trim(), "nosniff", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(nosniff is null ? "X-Content-Type-Options is missing" : $"X-Content-Type-Options is '{nosniff}', not 'nosniff'");
        }
        else
        {
            seen.Add("nosniff");
        }

        var frameOptions = header("X-Frame-Options");
        if (!string.IsNullOrWhiteSpace(frameOptions))
        {
            seen.Add($"X-Frame-Options {frameOptions}");
        }
        else if (csp?.Contains("frame-ancestors", StringComparison.OrdinalIgnoreCase) == true)
        {
            seen.Add("CSP frame-ancestors");
        }
        else
        {
            problems.Add("framing is not restricted (no X-Frame-Options, no CSP frame-ancestors)");
        }

        var referrer = header("Referrer-Policy");
        if (string.IsNullOrWhiteSpace(referrer))
        {
            problems.Add("Referrer-Policy is missing");
        }
        else
        {
            seen.Add($"Referrer-Policy {referrer}");
        }

        return problems.Count == 0 ? (true, string.Join("; ", seen)) : (false, string.Join("; ", problems));
    }

    [GeneratedRegex(@"(?:^|;)\s*max-age\s*=\s*""?(\d+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex MaxAgePattern();
}
