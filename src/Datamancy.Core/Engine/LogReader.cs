using System.Globalization;
using System.Text;
using Datamancy.Errors;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Datamancy.Engine;

/// <summary>Reads a container's log through the engine: stdout and stderr demultiplexed, one entry per line, with its timestamp.</summary>
public static class LogReader
{
    public static async Task<IReadOnlyList<LogEntry>> ReadAsync(DockerEngine engine, string project, string service, int? tail,
        DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var containers = await ContainerObserver.ListAsync(engine, project, cancellationToken).ConfigureAwait(false);
        if (!containers.TryGetValue(service, out var container))
        {
            throw new DatamancyException(ErrorIds.ContainerNotFound, ErrorKind.ObjectNotFound,
                $"Service '{service}' has no container in project '{project}'; start it with Start-DatamancyService -Name {service}.", service);
        }

        using var stream = await engine.Client.Containers.GetContainerLogsAsync(container.Id, new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Timestamps = true,
            Tail = tail?.ToString(CultureInfo.InvariantCulture) ?? "all",
            Since = since?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        }, cancellationToken).ConfigureAwait(false);

        var entries = new List<LogEntry>();
        var pending = new Dictionary<MultiplexedStream.TargetStream, StringBuilder>();
        var buffer = new byte[81920];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read.EOF)
            {
                break;
            }

            var text = pending.TryGetValue(read.Target, out var partial) ? partial : pending[read.Target] = new StringBuilder();
            text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
            var content = text.ToString();
            var lastNewline = content.LastIndexOf('\n');
            if (lastNewline < 0)
            {
                continue;
            }

            foreach (var line in content[..lastNewline].Split('\n'))
            {
                entries.Add(Parse(service, read.Target, line));
            }

            text.Clear().Append(content[(lastNewline + 1)..]);
        }

        foreach (var (target, rest) in pending.Where(p => p.Value.Length > 0))
        {
            entries.Add(Parse(service, target, rest.ToString()));
        }

        return entries.OrderBy(e => e.Timestamp).ToList();
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
