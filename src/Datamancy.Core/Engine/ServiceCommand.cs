using System.Text;
using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Engine;

/// <summary>
/// A command run in a service's running container, as `docker exec -i` runs it: the argument vector
/// as given (no shell unless it names one), standard input fed line by line while it runs, and its
/// output read from the start, cut into lines and handed to <c>emit</c> as they arrive (so a command
/// that writes much cannot block on a full pipe while its input is still being written).
/// </summary>
public sealed class ServiceCommand : IDisposable
{
    private readonly IExecSession _session;
    private readonly bool _input;
    private readonly Task _output;

    private ServiceCommand(IExecSession session, bool input, string service, Action<CommandOutput> emit, CancellationToken cancellationToken)
    {
        _session = session;
        _input = input;
        _output = Task.Run(() => ReadOutputAsync(session, service, emit, cancellationToken), cancellationToken);
    }

    /// <param name="input">Attach standard input: lines are written with <see cref="WriteLineAsync"/>; without it the command reads end of file.</param>
    public static async Task<ServiceCommand> StartAsync(IDockerEngine engine, StackDefinition stack, string service, IReadOnlyList<string> command,
        bool input, Action<CommandOutput> emit, CancellationToken cancellationToken)
    {
        var containers = await ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
        var id = LogReader.ContainerOf(containers, stack.ProjectName, service);
        if (!containers[service].IsRunning)
        {
            throw new DatamancyException(ErrorIds.ContainerNotRunning, ErrorKind.InvalidOperation,
                $"Service '{service}' is not running ({containers[service].State.ToString().ToLowerInvariant()}), so no command can run in it; start it with Start-DatamancyService -Name {service}.", service);
        }

        var session = await engine.StartExecAsync(id, new ExecRequest(command, null, input), cancellationToken).ConfigureAwait(false);
        return new ServiceCommand(session, input, service, emit, cancellationToken);
    }

    /// <summary>Writes one line to the command's standard input; once the command has ended, input is dropped.</summary>
    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        if (!_input || _output.IsCompleted)
        {
            return;
        }

        try
        {
            await _session.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken).ConfigureAwait(false);
        }
        catch (DatamancyException) when (_output.IsCompleted)
        {
            // The command ended (and closed its input) while the line was on its way: nothing reads it.
        }
    }

    /// <summary>Closes the input, waits until all the output was emitted, and returns the exit code.</summary>
    public async Task<int> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_input)
        {
            _session.CloseInput();
        }

        await _output.ConfigureAwait(false);
        return (int)await _session.GetExitCodeAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _session.Dispose();

    private static async Task ReadOutputAsync(IOutputReader reader, string service, Action<CommandOutput> emit, CancellationToken cancellationToken)
    {
        await foreach (var (target, line) in OutputLines.ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            emit(Line(service, target, line));
        }
    }

    private static CommandOutput Line(string service, OutputTarget target, string text) =>
        new(service, target == OutputTarget.StandardError ? CommandStream.Stderr : CommandStream.Stdout, text.TrimEnd('\r'), null);
}
