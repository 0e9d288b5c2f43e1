namespace Datamancy.Errors;

/// <summary>
/// The one exception type the core throws for expected failures. ErrorId is stable and tested;
/// the message says what, where and how to fix, and never carries a secret.
/// </summary>
public sealed class DatamancyException : Exception
{
    public DatamancyException(string errorId, ErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    /// <summary>The thing the error is about (a path, a service name), for ErrorRecord.TargetObject.</summary>
    public object? Target { get; }
}
