namespace Datamancy;

/// <summary>What Update-DatamancySecret did to one secret. Never carries the secret's value.</summary>
public sealed class SecretUpdate
{
    public SecretUpdate(string name, string[] services, string[] updatedIn, SecretUpdateStatus status, string message, string backup, string stackPath)
    {
        Name = name;
        Services = new(services);
        UpdatedIn = new(updatedIn);
        Status = status;
        Message = message;
        Backup = backup;
        StackPath = stackPath;
    }

    /// <summary>The .env variable.</summary>
    public string Name { get; }

    /// <summary>The services whose compose environment uses the variable.</summary>
    public TextList Services { get; }

    /// <summary>Where the new value now lives: env, and one "&lt;service&gt; (&lt;store&gt;)" per database or directory changed.</summary>
    public TextList UpdatedIn { get; }

    public SecretUpdateStatus Status { get; }

    /// <summary>What happened and what to do next (which services to recreate, or how to recover).</summary>
    public string Message { get; }

    /// <summary>The copy of .env taken before the first change (mode 600); empty when nothing was written.</summary>
    public string Backup { get; }

    public string StackPath { get; }
}

/// <summary>Updated: .env and every store hold the new value. Failed: nothing changed (or it was rolled back). OutOfSync: .env and a store disagree; the message says how to recover.</summary>
public enum SecretUpdateStatus
{
    Updated,
    Failed,
    OutOfSync,
}
