namespace Datamancy;

/// <summary>Where a line of Invoke-DatamancyCommand's output came from; Exit marks the final object, which carries the exit code.</summary>
public enum CommandStream
{
    Stdout,
    Stderr,
    Exit,
}

/// <summary>One line a command run in a service's container wrote, or (Stream Exit) the exit code it ended with.</summary>
public sealed class CommandOutput
{
    public CommandOutput(string service, CommandStream stream, string? text, int? exitCode)
    {
        Service = service;
        Stream = stream;
        Text = text;
        ExitCode = exitCode;
    }

    public string Service { get; }

    public CommandStream Stream { get; }

    /// <summary>The line, without its line break; null on the Exit object.</summary>
    public string? Text { get; }

    /// <summary>The command's exit code on the Exit object; null on a line.</summary>
    public int? ExitCode { get; }

    public override string ToString() => Stream == CommandStream.Exit ? $"exit code {ExitCode}" : Text ?? string.Empty;
}
