namespace Datamancy.Engine;

/// <summary>Which of a container's output streams a frame came from.</summary>
public enum OutputTarget
{
    StandardOutput,
    StandardError,

    /// <summary>The engine's own words inside the stream (stream 3 of the Engine API), such as "Error grabbing logs: ... node X is not available".</summary>
    EngineMessage,
}

/// <summary>One read from a demultiplexed stream: Count bytes of Target, or End when the stream is over.</summary>
public readonly record struct OutputFrame(int Count, OutputTarget Target, bool End);

/// <summary>A container's output (a log or an exec), demultiplexed into frames.</summary>
public interface IOutputReader : IDisposable
{
    /// <summary>Reads the next frame into <paramref name="buffer"/>.</summary>
    Task<OutputFrame> ReadAsync(byte[] buffer, CancellationToken cancellationToken);
}

/// <summary>A running exec: its output, its input (when attached) and, once the output ended, its exit code.</summary>
public interface IExecSession : IOutputReader
{
    Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>Closes the command's standard input (it sees end of file).</summary>
    void CloseInput();

    /// <summary>The exit code; read it after the output ended.</summary>
    Task<long> GetExitCodeAsync(CancellationToken cancellationToken);
}
