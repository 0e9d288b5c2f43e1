using System.Management.Automation;
using Datamancy.Errors;

namespace Datamancy.Commands.Infrastructure;

/// <summary>The one place a core exception becomes an ErrorRecord: its id, category and target are kept.</summary>
internal static class ErrorMapper
{
    public static ErrorRecord ToErrorRecord(DatamancyException exception) =>
        new(exception, exception.ErrorId, Map(exception.Kind), exception.Target);

    private static ErrorCategory Map(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        ErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
        ErrorKind.NotImplemented => ErrorCategory.NotImplemented,
        _ => ErrorCategory.InvalidOperation,
    };
}
