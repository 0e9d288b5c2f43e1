using System.Diagnostics;

namespace Datamancy.Backup;

/// <summary>
/// Runs a backup tool as a process on this host. Cancelling kills the process tree before its
/// input is closed, for the same reason as ContainerToolRunner's abort.
/// </summary>
public sealed class ProcessToolRunner : IToolRunner
{
    private const int ErrorTailLimit = 8192;

    public bool IsLocal => true;

    public async Task<ToolOutput> RunAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(invocation.Arguments[0])
        {
            RedirectStandardInput = invocation.WriteInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in invocation.Arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in invocation.Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{invocation.Arguments[0]}' did not start.");
        var errors = ReadErrorTailAsync(process.StandardError);
        var writing = WriteInputAsync(invocation, process, cancellationToken);
        string standardOutput = string.Empty;
        try
        {
            if (invocation.ReadOutput is { } read)
            {
                await read(process.StandardOutput.BaseStream, cancellationToken).ConfigureAwait(false);
                await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                standardOutput = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }

            await writing.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Kill(process);
            throw;
        }

        return new ToolOutput(process.ExitCode, standardOutput, await errors.ConfigureAwait(false));
    }

    private static async Task WriteInputAsync(ToolInvocation invocation, Process process, CancellationToken cancellationToken)
    {
        if (invocation.WriteInput is not { } write)
        {
            return;
        }

        try
        {
            await write(process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Kill(process);
            throw;
        }

        process.StandardInput.Close();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task<string> ReadErrorTailAsync(StreamReader reader)
    {
        var tail = new System.Text.StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > ErrorTailLimit)
            {
                tail.Remove(0, tail.Length - ErrorTailLimit);
            }
        }

        return tail.ToString();
    }
}
