using System.Text;
using Datamancy.Engine;
using Datamancy.Errors;

namespace Datamancy.Tests.Fakes;

// Exec: commands in running containers answer from scripts the test gives (first match of the latest first).
public sealed partial class FakeEngine
{
    private readonly List<(Func<ExecCall, bool> Matches, Func<ExecCall, ExecReply> Reply)> _execScripts = [];
    private readonly List<ExecCall> _execs = [];

    /// <summary>Every exec started, in order.</summary>
    public IReadOnlyList<ExecCall> Execs
    {
        get
        {
            lock (_lock)
            {
                return [.. _execs];
            }
        }
    }

    /// <summary>Commands whose words start with <paramref name="commandPrefix"/> ("kopia snapshot create") answer <paramref name="reply"/>.</summary>
    public FakeEngine OnExec(string commandPrefix, ExecReply reply) => OnExec(c => c.CommandLine.StartsWith(commandPrefix, StringComparison.Ordinal), _ => reply);

    /// <summary>Commands <paramref name="matches"/> accepts answer what <paramref name="reply"/> makes of the call (its input is complete by then). Later scripts win.</summary>
    public FakeEngine OnExec(Func<ExecCall, bool> matches, Func<ExecCall, ExecReply> reply)
    {
        lock (_lock)
        {
            _execScripts.Insert(0, (matches, reply));
        }

        return this;
    }

    public async Task<IExecSession> StartExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken)
    {
        await EnterAsync("exec", containerId, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var container = Existing(containerId);
            if (!container.IsRunning)
            {
                throw Refusal(ErrorIds.EngineConflict, $"Container {container.Id} is not running");
            }

            var call = new ExecCall(container, request);
            _execs.Add(call);
            var reply = _execScripts.FirstOrDefault(s => s.Matches(call)).Reply
                ?? (c => ExecReply.Fails(127, $"fake engine: no script for '{c.CommandLine}'"));
            return new FakeExecSession(call, reply);
        }
    }

    public Task<IOutputReader> ReadLogsAsync(string containerId, LogQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var container = Existing(containerId);
            return Task.FromResult<IOutputReader>(new FakeOutputReader(Encoding.UTF8.GetBytes(container.Log), []));
        }
    }
}

/// <summary>One exec: the container, the request, and what was written to its standard input.</summary>
public sealed class ExecCall(FakeContainer container, ExecRequest request)
{
    public FakeContainer Container { get; } = container;

    public ExecRequest Request { get; } = request;

    /// <summary>The command's words joined by spaces.</summary>
    public string CommandLine => string.Join(' ', Request.Command);

    public MemoryStream Input { get; } = new();

    public bool InputClosed { get; internal set; }
}

/// <summary>What a scripted exec answers.</summary>
public sealed record ExecReply(long ExitCode, byte[] StandardOutput, string StandardError)
{
    public static ExecReply Ok(string stdout = "", string stderr = "") => new(0, Encoding.UTF8.GetBytes(stdout), stderr);

    public static ExecReply Fails(long exitCode, string stderr) => new(exitCode, [], stderr);
}
