using Datamancy.Reporting;

namespace Datamancy.Tests.Fakes;

/// <summary>A reporter that keeps what the core reported, in order, for assertions.</summary>
public sealed class RecordingReporter : IReporter
{
    private readonly object _lock = new();
    private readonly List<string> _progress = [];
    private readonly List<string> _warnings = [];
    private readonly List<string> _verbose = [];

    public IReadOnlyList<string> ProgressLines => Snapshot(_progress);

    public IReadOnlyList<string> Warnings => Snapshot(_warnings);

    public IReadOnlyList<string> VerboseLines => Snapshot(_verbose);

    public void Progress(string subject, string status) => Add(_progress, $"{subject}: {status}");

    public void Verbose(string message) => Add(_verbose, message);

    public void Warning(string message) => Add(_warnings, message);

    private void Add(List<string> list, string line)
    {
        lock (_lock)
        {
            list.Add(line);
        }
    }

    private IReadOnlyList<string> Snapshot(List<string> list)
    {
        lock (_lock)
        {
            return [.. list];
        }
    }
}
