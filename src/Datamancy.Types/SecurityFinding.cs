namespace Datamancy;

/// <summary>One problem found by Test-DatamancySecurity. Never carries a secret's value.</summary>
public sealed class SecurityFinding
{
    public SecurityFinding(string ruleId, string title, SecuritySeverity severity, string service, string message, string remediation,
        string exception, string source, string location, string[] variable, string stackPath)
    {
        RuleId = ruleId;
        Title = title;
        Severity = severity;
        Service = service;
        Message = message;
        Remediation = remediation;
        Exception = exception;
        Source = source;
        Location = location;
        Variable = new(variable);
        StackPath = stackPath;
    }

    /// <summary>The stable rule id, DMS001 to DMS023.</summary>
    public string RuleId { get; }

    /// <summary>The rule's short name, such as CapDropMissing.</summary>
    public string Title { get; }

    /// <summary>Info, Low, Medium, High or Critical; Low at most when a documented exception covers it.</summary>
    public SecuritySeverity Severity { get; }

    /// <summary>The service (or services, comma-separated) concerned; the hostname for a route that reaches no service.</summary>
    public string Service { get; }

    public string Message { get; }

    /// <summary>How to fix it.</summary>
    public string Remediation { get; }

    /// <summary>The documented reason from x-datamancy-exceptions that covers the finding; empty when none does.</summary>
    public string Exception { get; }

    /// <summary>Where it was found: compose, caddy, env or live (a running container that drifted from the file).</summary>
    public string Source { get; }

    /// <summary>file:line:column, or "container &lt;name&gt;" for a live finding.</summary>
    public string Location { get; }

    /// <summary>The .env variables a secret finding is about (so it pipes into Update-DatamancySecret); empty for other rules.</summary>
    public TextList Variable { get; }

    public string StackPath { get; }
}
