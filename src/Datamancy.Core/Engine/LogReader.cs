using System.Globalization;
using System.Text;
using Datamancy.Errors;
using Docker.DotNet;
using Docker.DotNet.Models;

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

    public static async Task<IReadOnlyList<LogEntry>> ReadAsync(DockerEngine engine, string containerId, string service, int? tail,
        DateTimeOffset? since, CancellationToken cancellationToken)
    {
        using var stream = await engine.Client.Containers.GetContainerLogsAsync(containerId, new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Timestamps = true,
            Tail = tail?.ToString(CultureInfo.InvariantCulture) ?? "all",
            Since = since?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        }, cancellationToken).ConfigureAwait(false);

        var entries = new List<LogEntry>();
        var streams = new Dictionary<MultiplexedStream.TargetStream, Lines>();
        var buffer = new byte[81920];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read.EOF)
            {
                break;
            }

            if (!streams.TryGetValue(read.Target, out var lines))
            {
                streams[read.Target] = lines = new Lines();
            }

            foreach (var line in lines.Add(buffer.AsSpan(0, read.Count)))
            {
                entries.Add(Parse(service, read.Target, line));
            }
        }

        foreach (var (target, lines) in streams)
        {
            if (lines.Rest() is { Length: > 0 } rest)
            {
                entries.Add(Parse(service, target, rest));
            }
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
    internal static LogEntry Parse(string service, MultiplexedStream.TargetStream target, string line)
    {
        var space = line.IndexOf(' ');
        var stamp = space > 0 && DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        var message = (stamp == DateTimeOffset.MinValue ? line : line[(space + 1)..]).TrimEnd('\r');
        return new LogEntry(service, stamp, target == MultiplexedStream.TargetStream.StandardError ? "stderr" : "stdout", message);
    }
}
