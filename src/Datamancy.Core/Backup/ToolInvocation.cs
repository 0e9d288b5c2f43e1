namespace Datamancy.Backup;

/// <summary>
/// One run of a backup tool's command line. Arguments[0] is the program (a name on PATH, a path, or
/// the program inside a container). Secrets travel only in Environment, never in Arguments.
/// </summary>
public sealed record ToolInvocation(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Writes the tool's standard input; the runner closes it when this returns. Null: no input.</summary>
    public Func<Stream, CancellationToken, Task>? WriteInput { get; init; }

    /// <summary>Consumes the tool's standard output as a stream; ToolOutput.StandardOutput is then empty. Null: captured as text.</summary>
    public Func<Stream, CancellationToken, Task>? ReadOutput { get; init; }
}

/// <summary>What a tool run returned: its exit code, its standard output (unless streamed) and the tail of its standard error.</summary>
public sealed record ToolOutput(long ExitCode, string StandardOutput, string StandardError);

/// <summary>Where a backup tool's command line runs: a process on this host, or a process in a container through the engine's exec API.</summary>
public interface IToolRunner
{
    /// <summary>True when the runner reads paths of the host (a local process); false for a container.</summary>
    bool IsLocal { get; }

    Task<ToolOutput> RunAsync(ToolInvocation invocation, CancellationToken cancellationToken);
}
