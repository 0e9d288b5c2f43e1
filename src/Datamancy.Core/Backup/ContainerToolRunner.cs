using Datamancy.Engine;

namespace Datamancy.Backup;

/// <summary>
/// Runs a command in a running container through the engine's exec API, with standard input and
/// output as streams. When writing the input fails or is cancelled, <paramref name="abortAsync"/>
/// runs before the input is closed, so a tool reading a dump never sees a clean end of a truncated
/// stream (closing it would let restic or Kopia save the partial dump as a snapshot).
/// </summary>
public sealed class ContainerToolRunner(IDockerEngine engine, string containerId, Func<Task>? abortAsync = null) : IToolRunner
{
    public bool IsLocal => false;

    public string ContainerId => containerId;

    public async Task<ToolOutput> RunAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        using var multiplexed = await engine.StartExecAsync(containerId,
            new ExecRequest(invocation.Arguments, invocation.Environment, invocation.WriteInput is not null), cancellationToken).ConfigureAwait(false);
        var output = new ExecOutputStream(multiplexed);
        var writing = WriteInputAsync(invocation, multiplexed, cancellationToken);
        string standardOutput;
        try
        {
            if (invocation.ReadOutput is { } read)
            {
                await read(output, cancellationToken).ConfigureAwait(false);
                await output.DrainAsync(cancellationToken).ConfigureAwait(false);
                standardOutput = string.Empty;
            }
            else
            {
                using var reader = new StreamReader(output);
                standardOutput = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await AbortAsync().ConfigureAwait(false);
            await WriteFailureFirstAsync(writing).ConfigureAwait(false);
            if (output.Ended && !cancellationToken.IsCancellationRequested && await ExitCodeSoonAsync(multiplexed).ConfigureAwait(false) is { } code and not 0)
            {
                // The output was cut because the tool failed (a damaged repository, a wrong path): its
                // own error is the one to report, not what the reader made of the cut output.
                return new ToolOutput(code, string.Empty, output.ErrorTail);
            }

            throw;
        }

        await writing.ConfigureAwait(false);
        return new ToolOutput(await multiplexed.GetExitCodeAsync(cancellationToken).ConfigureAwait(false), standardOutput, output.ErrorTail);
    }

    private async Task WriteInputAsync(ToolInvocation invocation, IExecSession multiplexed, CancellationToken cancellationToken)
    {
        if (invocation.WriteInput is not { } write)
        {
            return;
        }

        try
        {
            await write(new ExecInputStream(multiplexed), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Without an abort, the input is closed so the command ends and the failure surfaces.
            if (abortAsync is null)
            {
                multiplexed.CloseInput();
            }

            await AbortAsync().ConfigureAwait(false);
            throw;
        }

        multiplexed.CloseInput();
    }

    // The command whose output ended has exited or is about to; one that does not say so soon is not waited for.
    private static async Task<long?> ExitCodeSoonAsync(IExecSession multiplexed)
    {
        using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await multiplexed.GetExitCodeAsync(soon.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or Errors.DatamancyException)
        {
            return null;
        }
    }

    private async Task AbortAsync()
    {
        if (abortAsync is not null)
        {
            await abortAsync().ConfigureAwait(false);
        }
    }

    // When the input failed (a dump that broke off), that is the failure to report, not the cut output it caused.
    private static async Task WriteFailureFirstAsync(Task writing)
    {
        await Task.WhenAny(writing).ConfigureAwait(false);
        if (writing.Exception?.InnerException is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }
}
