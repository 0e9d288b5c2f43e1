using System.Text;

namespace Datamancy.Engine;

/// <summary>One output stream's text, cut into lines; a character or line split across frames is kept until its end arrives.</summary>
public sealed class OutputLines
{
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private readonly StringBuilder _pending = new();

    /// <summary>
    /// The lines of a demultiplexed stream (a log or an exec) as they are read, each with the stream it
    /// was written to; within one stream the order is kept, stdout and stderr are not sorted against
    /// each other. A last line without a line break comes at the end.
    /// </summary>
    public static async IAsyncEnumerable<(OutputTarget Target, string Line)> ReadAsync(IOutputReader reader,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var streams = new Dictionary<OutputTarget, OutputLines>();
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
                streams[frame.Target] = lines = new OutputLines();
            }

            foreach (var line in lines.Add(buffer.AsSpan(0, frame.Count)))
            {
                yield return (frame.Target, line);
            }
        }

        foreach (var (target, lines) in streams)
        {
            if (lines.Rest() is { Length: > 0 } rest)
            {
                yield return (target, rest);
            }
        }
    }

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
