using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Engine;
using Datamancy.Errors;

namespace Datamancy.Commands;

/// <summary>Runs a command in a service's running container (no shell unless the command names one): output lines as objects, then the exit code.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "DatamancyCommand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CommandOutput))]
public sealed class InvokeDatamancyCommandCommand : EngineCmdlet
{
    private ServiceCommand? _command;
    private string _service = string.Empty;

    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ServiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The program and its arguments, one word each; run as given, without a shell. The words may also follow the name (after --, when one starts with -).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    /// <summary>Lines written to the command's standard input, from the pipeline.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowEmptyString]
    [AllowNull]
    public string? InputObject { get; set; }

    /// <summary>A non-zero exit code is a non-terminating CommandFailed error instead of a final Exit object.</summary>
    [Parameter]
    public SwitchParameter ErrorOnNonZero { get; set; }

    protected override string Activity => "Running a command in a Datamancy service";

    protected override void Begin()
    {
        var stack = LoadStack();
        var services = ServiceSelection.Named(stack, [Name]);
        if (services.Count != 1)
        {
            throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidArgument,
                $"-Name '{Name}' matches {services.Count} services ({string.Join(", ", services.Select(s => s.Name))}); name one service.", Name);
        }

        _service = services[0].Name;
        if (!ShouldProcess(_service, $"Run {ShellWords.Join(Command)}"))
        {
            return;
        }

        var input = MyInvocation.ExpectingInput;
        _command = Run((engine, _) => ServiceCommand.StartAsync(engine, stack, _service, Command, input, Emit, Cancellation));
    }

    protected override void Process()
    {
        if (_command is { } command && InputObject is { } line)
        {
            Wait(token => command.WriteLineAsync(line, token));
        }
    }

    protected override void End()
    {
        if (_command is not { } command)
        {
            return;
        }

        var exitCode = Wait(command.CompleteAsync);
        if (!ErrorOnNonZero)
        {
            WriteObject(new CommandOutput(_service, CommandStream.Exit, null, exitCode));
        }
        else if (exitCode != 0)
        {
            WriteCoreError(new DatamancyException(ErrorIds.CommandFailed, ErrorKind.InvalidOperation,
                $"The command {ShellWords.Join(Command)} in service '{_service}' exited with code {exitCode}.", exitCode));
        }
    }

    protected override void DisposeResources()
    {
        _command?.Dispose();
        base.DisposeResources();
    }
}
