using System.Globalization;
using System.Text;
using Datamancy.Errors;

namespace Datamancy.Engine;

/// <summary>Reads a container's log through the engine: stdout and stderr demultiplexed, one entry per line, with its timestamp.</summary>
public static class LogReader
{
    /// <summary>The container of <paramref name="service"/> among the project's containers (one listing for any number of services).</summary>
    public static string ContainerOf(IReadOnlyDictionary<string, LiveContainer> containers, string project, string service) =>
        containers.TryGetValue(service, out var container)
            ? container.Id
            : throw new DatamancyException(ErrorIds.ContainerNotFound, ErrorKind.ObjectNotFound,
                $"Service '{service}' has no container in project '{project}'; start it with Start-DatamancyService -Name {service}.", service);

    /// <summary>
    /// The log's entries as they are read: with <see cref="LogQuery.Follow"/> the stream stays open and
    /// new lines arrive until cancelled. Within one frame's lines the engine's order is kept; stdout
    /// and stderr lines are not sorted against each other here (see <see cref="ReadAllAsync"/>).
    /// </summary>
    public static async IAsyncEnumerable<LogEntry> StreamAsync(IDockerEngine engine, string containerId, string service, LogQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = await engine.ReadLogsAsync(containerId, query, cancellationToken).ConfigureAwait(false);
        var streams = new Dictionary<OutputTarget, Lines>();
        var buffer = new byte[81920];
        while (true)
        {
            var frame = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (frame.End)
            {
                break;
            }

            if (!streams.TryGetValue(frame.Target, out var lines))
            {
                streams[frame.Target] = lines = new Lines();
            }

            foreach (var line in lines.Add(buffer.AsSpan(0, frame.Count)))
            {
                yield return Parse(service, frame.Target, line);
            }
        }

        foreach (var (target, lines) in streams)
        {
            if (lines.Rest() is { Length: > 0 } rest)
            {
                yield return Parse(service, target, rest);
            }
        }
    }

    /// <summary>The whole requested part of the log, stdout and stderr merged in time order.</summary>
    public static async Task<IReadOnlyList<LogEntry>> ReadAllAsync(IDockerEngine engine, string containerId, string service, int? tail,
        DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var entries = new List<LogEntry>();
        await foreach (var entry in StreamAsync(engine, containerId, service, new LogQuery(tail, since, false), cancellationToken).ConfigureAwait(false))
        {
            entries.Add(entry);
        }

        return entries.OrderBy(e => e.Timestamp).ToList();
    }

    /// <summary>One output stream's text, cut into lines; a character or line split across frames is kept until its end arrives.</summary>
    internal sealed class Lines
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
        private readonly StringBuilder _pending = new();

        public IReadOnlyList<string> Add(ReadOnlySpan<byte> bytes)
        {
            var chars = new char[_decoder.GetCharCount(bytes, flush: false)];
            _decoder.GetChars(bytes, chars, flush: false);
            _pending.Append(chars);
            var content = _pending.ToString();
            var lastNewline = content.LastIndexOf('\n');
            if (lastNewline < 0)
            {
                return [];
            }

            _pending.Clear().Append(content, lastNewline + 1, content.Length - lastNewline - 1);
            return content[..lastNewline].Split('\n');
        }

        public string Rest()
        {
            var chars = new char[_decoder.GetCharCount([], flush: true)];
            _decoder.GetChars([], chars, flush: true);
            return _pending.Append(chars).ToString();
        }
    }

    // With timestamps on, the engine starts each line with an RFC 3339 time and a space.
    internal static LogEntry Parse(string service, OutputTarget target, string line)
    {
        var space = line.IndexOf(' ');
        var stamp = space > 0 && DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        var message = (stamp == DateTimeOffset.MinValue ? line : line[(space + 1)..]).TrimEnd('\r');
        return new LogEntry(service, stamp, target == OutputTarget.StandardError ? "stderr" : "stdout", message);
    }
}
