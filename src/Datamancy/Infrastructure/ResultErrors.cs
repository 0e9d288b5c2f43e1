using Datamancy.Errors;

namespace Datamancy.Commands.Infrastructure;

/// <summary>The one place that says which result objects report a failure, and the error written beside them.</summary>
internal static class ResultErrors
{
    public static DatamancyException? Of(object result) => result switch
    {
        ServiceResult { Succeeded: false } failed =>
            new DatamancyException(failed.ErrorId, ErrorKind.InvalidOperation, failed.Error, failed.Name),
        BackupResult { Status: BackupStatus.Failed } failed =>
            new DatamancyException(failed.ErrorId, ErrorKind.InvalidOperation, $"{failed.Target}: {failed.Error}", failed.Target),
        BackupDrillResult { Passed: false } drill =>
            new DatamancyException(ErrorIds.BackupVerifyFailed, ErrorKind.InvalidData, $"{drill.Target}: {drill.Reason}", drill.Target),
        UpdateResult { Status: UpdateStatus.RolledBack or UpdateStatus.Failed } update =>
            new DatamancyException(update.ErrorId, ErrorKind.InvalidOperation, $"{update.Service}: {update.Reason}", update.Service),
        _ => null,
    };
}
