using System.Collections.Concurrent;
using Datamancy.Engine;

namespace Datamancy.Commands.Infrastructure;

/// <summary>Collects what workers report, from any thread, for the cmdlet to write on the pipeline thread.</summary>
internal sealed class QueueReporter : IEngineReporter
{
    public ConcurrentQueue<(string Kind, string Subject, string Text)> Items { get; } = new();

    public void Progress(string service, string status) => Items.Enqueue(("progress", service, status));

    public void Verbose(string message) => Items.Enqueue(("verbose", string.Empty, message));

    public void Warning(string message) => Items.Enqueue(("warning", string.Empty, message));
}
