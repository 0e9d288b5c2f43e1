using System.Globalization;
using Datamancy.Engine;

namespace Datamancy.Images;

/// <summary>One pull's layers as the engine's progress lines tell them: done or not, and bytes of the download.</summary>
internal sealed class LayerProgress
{
    private readonly Dictionary<string, (bool Done, long Current, long Total)> _layers = new(StringComparer.Ordinal);

    /// <summary>Takes one progress line; true when it was about a layer.</summary>
    public bool Add(PullProgress line)
    {
        if (line.Layer.Length == 0 || line.Status.StartsWith("Pulling from", StringComparison.Ordinal))
        {
            return false; // the tag's own lines ("Pulling from ..." with the tag as its id, "Digest: ..."), not a layer
        }

        var (done, current, total) = Get(line.Layer);
        _layers[line.Layer] = line.Status switch
        {
            "Downloading" => (done, line.Current, line.Total > 0 ? line.Total : total),
            "Pull complete" or "Already exists" => (true, total, total),
            _ => (done, current, total),
        };
        return true;
    }

    public string Describe()
    {
        var done = _layers.Values.Count(l => l.Done);
        var bytes = _layers.Values.Sum(l => l.Current);
        var total = _layers.Values.Sum(l => l.Total);
        return total > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{done} of {_layers.Count} layers done, {bytes / 1048576.0:0.0} of {total / 1048576.0:0.0} MB")
            : $"{done} of {_layers.Count} layers done";
    }

    private (bool Done, long Current, long Total) Get(string layer) => _layers.TryGetValue(layer, out var state) ? state : (false, 0, 0);
}
