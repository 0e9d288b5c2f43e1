using System.Text;
using Datamancy.Backup;

namespace Datamancy.Tests.Kopia;

/// <summary>
/// A stand-in for the process or container runner: records every invocation, hands back canned
/// outputs in order, writes the input a run would send to the tool and feeds a streamed stdout.
/// </summary>
internal sealed class FakeToolRunner : IToolRunner
{
    private readonly Queue<(long ExitCode, string Stdout, string Stderr)> _outputs = new();

    public List<ToolInvocation> Invocations { get; } = [];

    /// <summary>What each run's WriteInput wrote, in order.</summary>
    public List<byte[]> Inputs { get; } = [];

    public bool IsLocal => true;

    public FakeToolRunner Returns(long exitCode, string stdout = "", string stderr = "")
    {
        _outputs.Enqueue((exitCode, stdout, stderr));
        return this;
    }

    /// <summary>Kopia's output from Fixtures/&lt;name&gt;.stdout and .stderr (either may be absent).</summary>
    public FakeToolRunner ReturnsFixture(long exitCode, string name) =>
        Returns(exitCode, KopiaFixtures.ReadOrEmpty(name + ".stdout"), KopiaFixtures.ReadOrEmpty(name + ".stderr"));

    public async Task<ToolOutput> RunAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        Invocations.Add(invocation);
        if (!_outputs.TryDequeue(out var output))
        {
            throw new InvalidOperationException("Unexpected run: " + string.Join(' ', invocation.Arguments));
        }

        if (invocation.WriteInput is { } write)
        {
            using var input = new MemoryStream();
            await write(input, cancellationToken);
            Inputs.Add(input.ToArray());
        }

        if (invocation.ReadOutput is { } read)
        {
            using var stdout = new MemoryStream(Encoding.UTF8.GetBytes(output.Stdout));
            await read(stdout, cancellationToken);
            return new ToolOutput(output.ExitCode, "", output.Stderr);
        }

        return new ToolOutput(output.ExitCode, output.Stdout, output.Stderr);
    }
}
