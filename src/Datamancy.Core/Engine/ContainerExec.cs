using System.Text;
using Docker.DotNet.Models;

namespace Datamancy.Engine;

/// <summary>What a command run in a container returned.</summary>
public sealed record ExecResult(long ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a command inside a running container. Secrets go in through standard input or the exec's environment, never through the command line.</summary>
public interface IContainerExecutor
{
    Task<ExecResult> RunAsync(string containerId, IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment,
        string? standardInput, CancellationToken cancellationToken);
}

/// <summary>The engine's exec API: create, attach (stdin, stdout, stderr), write stdin and close it, read to the end, then the exit code.</summary>
public sealed class ContainerExec(DockerEngine engine) : IContainerExecutor
{
    public async Task<ExecResult> RunAsync(string containerId, IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment,
        string? standardInput, CancellationToken cancellationToken)
    {
        var created = await engine.Client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = [.. command],
            Env = environment?.Select(p => $"{p.Key}={p.Value}").ToList() ?? [],
            AttachStdin = standardInput is not null,
            AttachStdout = true,
            AttachStderr = true,
            TTY = false,
        }, cancellationToken).ConfigureAwait(false);
        using (var stream = await engine.Client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters { Detach = false, TTY = false }, cancellationToken).ConfigureAwait(false))
        {
            if (standardInput is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(standardInput);
                await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
                stream.CloseWrite();
            }

            (string stdout, string stderr) = await stream.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
            var inspect = await engine.Client.Exec.InspectContainerExecAsync(created.ID, cancellationToken).ConfigureAwait(false);
            return new ExecResult(inspect.ExitCode ?? -1, stdout, stderr);
        }
    }
}
