using Datamancy.Engine;

namespace Datamancy.Tests.Fakes;

/// <summary>A container's output as frames: standard output, then standard error, then the end.</summary>
internal class FakeOutputReader(byte[] stdout, byte[] stderr) : IOutputReader
{
    private int _stdoutAt;
    private int _stderrAt;

    protected byte[] Stdout { get; set; } = stdout;

    protected byte[] Stderr { get; set; } = stderr;

    public virtual Task<OutputFrame> ReadAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_stdoutAt < Stdout.Length)
        {
            var count = Math.Min(buffer.Length, Stdout.Length - _stdoutAt);
            Array.Copy(Stdout, _stdoutAt, buffer, 0, count);
            _stdoutAt += count;
            return Task.FromResult(new OutputFrame(count, OutputTarget.StandardOutput, false));
        }

        if (_stderrAt < Stderr.Length)
        {
            var count = Math.Min(buffer.Length, Stderr.Length - _stderrAt);
            Array.Copy(Stderr, _stderrAt, buffer, 0, count);
            _stderrAt += count;
            return Task.FromResult(new OutputFrame(count, OutputTarget.StandardError, false));
        }

        return Task.FromResult(new OutputFrame(0, OutputTarget.StandardOutput, true));
    }

    public void Dispose()
    {
    }
}

/// <summary>
/// An exec attached to its output (and input). Like a command that reads its input before it
/// answers, the output starts once the input is closed; the reply is made from the whole input.
/// </summary>
internal sealed class FakeExecSession(ExecCall call, Func<ExecCall, ExecReply> reply) : FakeOutputReader([], []), IExecSession
{
    private readonly TaskCompletionSource _inputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ExecReply? _reply;

    public override async Task<OutputFrame> ReadAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        if (_reply is null)
        {
            if (call.Request.AttachInput)
            {
                await Task.WhenAny(_inputClosed.Task, call.Container.Stopped.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            // A container stopped or removed under a running exec kills it, as the engine does.
            _reply = call.Container.Stopped.Task.IsCompleted ? ExecReply.Fails(137, string.Empty) : reply(call);
            Stdout = _reply.StandardOutput;
            Stderr = System.Text.Encoding.UTF8.GetBytes(_reply.StandardError);
        }

        return await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (call.InputClosed)
        {
            throw new InvalidOperationException("The exec's input is closed.");
        }

        call.Input.Write(bytes.Span);
        return Task.CompletedTask;
    }

    public void CloseInput()
    {
        call.InputClosed = true;
        _inputClosed.TrySetResult();
    }

    public Task<long> GetExitCodeAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_reply?.ExitCode ?? throw new InvalidOperationException("Read the exec's output to its end before its exit code."));
}
