using Datamancy.Engine;
using Datamancy.Errors;

namespace Datamancy.Backup;

/// <summary>The dialect's commands run in a database container: counting rows, dumping into a stream, loading from one.</summary>
public static class DatabaseExec
{
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static async Task<IReadOnlyDictionary<string, long>> CountAsync(IDockerEngine docker, string containerId, BackupTarget target, CancellationToken cancellationToken)
    {
        var result = await new ContainerToolRunner(docker, containerId).RunAsync(new ToolInvocation(target.Dialect!.CountCommand, NoEnvironment), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failed(ErrorIds.BackupTargetUnavailable, $"counting the rows of {target.Name}", result);
        }

        return target.Dialect.ParseCounts(result.StandardOutput);
    }

    /// <summary>Streams a dump into <paramref name="destination"/>; a dump that fails throws, so the tool reading it is aborted before it can save a truncated one.</summary>
    public static async Task<long> DumpAsync(IDockerEngine docker, string containerId, BackupTarget target, Stream destination, CancellationToken cancellationToken)
    {
        long bytes = 0;
        var result = await new ContainerToolRunner(docker, containerId).RunAsync(new ToolInvocation(target.Dialect!.DumpCommand, NoEnvironment)
        {
            ReadOutput = async (output, token) => bytes = await CountingCopy.CopyAsync(output, destination, token).ConfigureAwait(false),
        }, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failed(ErrorIds.BackupFailed, $"the dump of {target.Name}", result);
        }

        return bytes;
    }

    public static async Task LoadAsync(IDockerEngine docker, string containerId, BackupTarget target, Stream source, CancellationToken cancellationToken)
    {
        var result = await new ContainerToolRunner(docker, containerId).RunAsync(new ToolInvocation(target.Dialect!.LoadCommand, NoEnvironment)
        {
            WriteInput = (input, token) => source.CopyToAsync(input, token),
        }, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failed(ErrorIds.BackupVerifyFailed, $"loading the dump of {target.Name}", result);
        }
    }

    private static DatamancyException Failed(string errorId, string what, ToolOutput result)
    {
        var error = result.StandardError.Trim();
        return new DatamancyException(errorId, ErrorKind.InvalidOperation,
            $"{what} failed (exit {result.ExitCode}){(error.Length > 0 ? ": " + (error.Length > 1000 ? error[^1000..] : error) : ".")}");
    }
}
