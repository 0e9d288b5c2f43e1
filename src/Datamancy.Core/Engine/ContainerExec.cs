using System.Text;

namespace Datamancy.Engine;

/// <summary>What a command run in a container returned.</summary>
public sealed record ExecResult(long ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a command inside a running container. Secrets go in through standard input or the exec's environment, never through the command line.</summary>
public interface IContainerExecutor
{
    Task<ExecResult> RunAsync(string containerId, IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment,
        string? standardInput, CancellationToken cancellationToken);
}

/// <summary>The engine's exec: start attached, write stdin and close it, read both outputs to the end, then the exit code.</summary>
public sealed class ContainerExec(IDockerEngine engine) : IContainerExecutor
{
    public async Task<ExecResult> RunAsync(string containerId, IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment,
        string? standardInput, CancellationToken cancellationToken)
    {
        using var session = await engine.StartExecAsync(containerId, new ExecRequest(command, environment, standardInput is not null), cancellationToken).ConfigureAwait(false);
        if (standardInput is not null)
        {
            await session.WriteAsync(Encoding.UTF8.GetBytes(standardInput), cancellationToken).ConfigureAwait(false);
            session.CloseInput();
        }

        var (stdout, stderr) = await ReadToEndAsync(session, cancellationToken).ConfigureAwait(false);
        return new ExecResult(await session.GetExitCodeAsync(cancellationToken).ConfigureAwait(false), stdout, stderr);
    }

    /// <summary>Both outputs of a reader, each decoded as UTF-8 whole (a character split across frames stays whole).</summary>
    public static async Task<(string StandardOutput, string StandardError)> ReadToEndAsync(IOutputReader reader, CancellationToken cancellationToken)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var buffer = new byte[81920];
        while (true)
        {
            var frame = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (frame.End)
            {
                break;
            }

            (frame.Target == OutputTarget.StandardError ? stderr : stdout).Write(buffer, 0, frame.Count);
        }

        return (Encoding.UTF8.GetString(stdout.GetBuffer(), 0, (int)stdout.Length), Encoding.UTF8.GetString(stderr.GetBuffer(), 0, (int)stderr.Length));
    }
}
