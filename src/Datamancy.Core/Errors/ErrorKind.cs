namespace Datamancy.Errors;

/// <summary>
/// What went wrong, in the terms of PowerShell's ErrorCategory, so the cmdlet layer can map it
/// without the core referencing System.Management.Automation.
/// </summary>
public enum ErrorKind
{
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    PermissionDenied,
    ConnectionError,
    OperationTimeout,
    InvalidOperation,
    NotImplemented,
}
