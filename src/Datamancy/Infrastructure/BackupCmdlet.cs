using System.Collections.Concurrent;
using System.Management.Automation;
using System.Net;
using Datamancy.Backup;
using Datamancy.Engine;
using Datamancy.Stack.Model;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// A backup cmdlet: the stack's x-datamancy-backup settings, the repository password (-RepositoryCredential,
/// else the variable the settings name, from the environment or .env), and results written as they come.
/// </summary>
public abstract class BackupCmdlet : EngineCmdlet
{
    private readonly ConcurrentQueue<object> _results = new();

    /// <summary>The repository password (the user name is ignored); default: the .env variable named by x-datamancy-backup.</summary>
    [Parameter]
    [Credential]
    public PSCredential? RepositoryCredential { get; set; }

    private protected BackupSession Session(StackDefinition stack, IDockerEngine engine, IEngineReporter reporter)
    {
        var settings = BackupSettingsReader.Read(stack);
        var given = RepositoryCredential is { } credential ? new NetworkCredential(string.Empty, credential.Password).Password : null;
        return new BackupSession(engine, stack, settings, BackupPassword.Resolve(stack, settings, given, Environment.GetEnvironmentVariable), reporter);
    }

    /// <summary>For core work that reports results from a worker: queued there, written here on the pipeline thread.</summary>
    protected void Emit(object result) => _results.Enqueue(result);

    protected override void WhileWaiting()
    {
        while (_results.TryDequeue(out var result))
        {
            WriteObject(result);
            if (result is BackupResult { Status: "Failed" } failed)
            {
                WriteCoreError(new Errors.DatamancyException(failed.ErrorId, Errors.ErrorKind.InvalidOperation, $"{failed.Target}: {failed.Error}", failed.Target));
            }
            else if (result is BackupDrillResult { Passed: false } drill)
            {
                WriteCoreError(new Errors.DatamancyException(Errors.ErrorIds.BackupVerifyFailed, Errors.ErrorKind.InvalidData, $"{drill.Target}: {drill.Reason}", drill.Target));
            }
        }
    }
}
