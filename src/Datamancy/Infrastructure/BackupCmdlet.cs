using System.Management.Automation;
using System.Net;
using Datamancy.Backup;
using Datamancy.Engine;
using Datamancy.Reporting;
using Datamancy.Stack.Model;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// A backup cmdlet: the stack's x-datamancy-backup settings and the repository password
/// (-RepositoryCredential, else the variable the settings name, from the environment or .env).
/// </summary>
public abstract class BackupCmdlet : EngineCmdlet
{
    /// <summary>The repository password (the user name is ignored); default: the .env variable named by x-datamancy-backup.</summary>
    [Parameter]
    [Credential]
    public PSCredential? RepositoryCredential { get; set; }

    private protected BackupSession Session(StackDefinition stack, IDockerEngine engine, IReporter reporter)
    {
        var settings = BackupSettingsReader.Read(stack);
        var given = RepositoryCredential is { } credential ? new NetworkCredential(string.Empty, credential.Password).Password : null;
        return new BackupSession(engine, stack, settings, BackupPassword.Resolve(stack, settings, given, Environment.GetEnvironmentVariable), reporter);
    }
}
