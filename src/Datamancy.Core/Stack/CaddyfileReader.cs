using System.Text;
using System.Text.RegularExpressions;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Datamancy.Yaml;

namespace Datamancy.Stack;

/// <summary>
/// Reads the routes of a static Caddyfile, the single source of truth for hostnames: each site's
/// hostnames, the service its reverse_proxy reaches, whether forward_auth guards it, the paths it
/// routes to a handler (handle, handle_path, route, reverse_proxy matchers) and the response headers it sets (snippets imported). Not a full Caddy parser: only what
/// the module checks and reports.
/// </summary>
public static partial class CaddyfileReader
{
    private const int MaxImportDepth = 10;

    public static IReadOnlyList<SiteRoute> Read(string file, string text, Func<string, string?> environment, IReadOnlySet<string> serviceNames)
    {
        var blocks = Parse(file, Tokenize(file, ExpandEnvironment(text, environment)));
        var snippets = blocks.Where(b => b.Keys is [{ Text: var k }] && k.StartsWith('(') && k.EndsWith(')'))
            .ToDictionary(b => b.Keys[0].Text[1..^1], b => b.Body, StringComparer.Ordinal);
        var routes = new List<SiteRoute>();
        foreach (var block in blocks.Where(b => b.Keys.Count > 0 && !snippets.ContainsKey(b.Keys[0].Text.Trim('(', ')'))))
        {
            var directives = Expand(block.Body, snippets, 0, file);
            var upstreams = new List<string>();
            var paths = new List<string>();
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var forwardAuth = false;
            Walk(directives, upstreams, paths, headers, ref forwardAuth);
            foreach (var hostname in block.Keys.SelectMany(k => k.Text.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(HostOf))
            {
                routes.Add(new SiteRoute(hostname, ServiceFor(hostname, upstreams, serviceNames), upstreams, forwardAuth, paths, headers,
                    new SourceMark(file, block.Keys[0].Line, 1)));
            }
        }

        return routes;
    }

    private static void Walk(IReadOnlyList<Directive> directives, List<string> upstreams, List<string> paths,
        Dictionary<string, string> headers, ref bool forwardAuth)
    {
        foreach (var directive in directives)
        {
            var args = directive.Tokens.Skip(1).Select(t => t.Text).ToList();
            switch (directive.Name)
            {
                case "reverse_proxy":
                    upstreams.AddRange(args.Where(a => !IsMatcher(a)));
                    paths.AddRange(args.Where(a => a.StartsWith('/')));
                    break;
                case "forward_auth":
                    forwardAuth = true;
                    break;
                case "handle" or "handle_path" or "route":
                    paths.AddRange(args.Take(1).Where(a => a.StartsWith('/')));
                    break;
                case "header" when directive.Block is null:
                    AddHeader(args.Where(a => !IsMatcher(a)).ToList(), headers);
                    break;
                case "header":
                    foreach (var line in directive.Block)
                    {
                        AddHeader(line.Tokens.Select(t => t.Text).ToList(), headers);
                    }

                    continue;
            }

            if (directive.Block is not null)
            {
                Walk(directive.Block, upstreams, paths, headers, ref forwardAuth);
            }
        }
    }

    private static void AddHeader(IReadOnlyList<string> args, Dictionary<string, string> headers)
    {
        if (args.Count == 0)
        {
            return;
        }

        var field = args[0];
        if (field.StartsWith('-'))
        {
            headers.Remove(field[1..]);
            return;
        }

        headers[field.TrimStart('+', '?', '>')] = args.Count > 1 ? string.Join(' ', args.Skip(1)) : string.Empty;
    }

    private static bool IsMatcher(string token) => token.StartsWith('@') || token.StartsWith('/') || token == "*";

    private static string? ServiceFor(string hostname, IReadOnlyList<string> upstreams, IReadOnlySet<string> serviceNames)
    {
        foreach (var upstream in upstreams)
        {
            var host = HostOf(upstream);
            if (serviceNames.Contains(host))
            {
                return host;
            }
        }

        var label = hostname.Split('.')[0];
        return serviceNames.Contains(label) ? label : null;
    }

    // "https://a.stack.local:443" -> "a.stack.local"; "grafana:3000" -> "grafana".
    private static string HostOf(string address)
    {
        var scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            address = address[(scheme + 3)..];
        }

        var end = address.IndexOfAny([':', '/']);
        return (end >= 0 ? address[..end] : address).Trim();
    }

    private static IReadOnlyList<Directive> Expand(IReadOnlyList<Directive> body, IReadOnlyDictionary<string, IReadOnlyList<Directive>> snippets, int depth, string file)
    {
        var result = new List<Directive>();
        foreach (var directive in body)
        {
            if (directive.Name == "import" && directive.Tokens.Count > 1 && snippets.TryGetValue(directive.Tokens[1].Text, out var snippet))
            {
                if (depth >= MaxImportDepth)
                {
                    throw Syntax(file, directive.Tokens[0].Line, "imports nest too deep (an import cycle?)");
                }

                result.AddRange(Expand(snippet, snippets, depth + 1, file));
                continue;
            }

            result.Add(directive.Block is null ? directive : directive with { Block = Expand(directive.Block, snippets, depth, file) });
        }

        return result;
    }

    private sealed record Token(string Text, int Line, bool Quoted);

    private sealed record Directive(IReadOnlyList<Token> Tokens, IReadOnlyList<Directive>? Block)
    {
        public string Name => Tokens[0].Text;
    }

    private sealed record ServerBlock(IReadOnlyList<Token> Keys, IReadOnlyList<Directive> Body);

    private static List<ServerBlock> Parse(string file, List<Token> tokens)
    {
        var blocks = new List<ServerBlock>();
        var i = 0;
        while (i < tokens.Count)
        {
            var keys = new List<Token>();
            while (i < tokens.Count && !(tokens[i].Text == "{" && !tokens[i].Quoted))
            {
                keys.Add(tokens[i++]);
            }

            if (i >= tokens.Count)
            {
                throw Syntax(file, keys.Count > 0 ? keys[^1].Line : 1, "a site address must be followed by a '{' block");
            }

            i++;
            var body = ParseBody(file, tokens, ref i, tokens[i - 1].Line);
            blocks.Add(new ServerBlock(keys, body));
        }

        return blocks;
    }

    private static List<Directive> ParseBody(string file, List<Token> tokens, ref int i, int openLine)
    {
        var directives = new List<Directive>();
        while (i < tokens.Count)
        {
            if (tokens[i] is { Text: "}", Quoted: false })
            {
                i++;
                return directives;
            }

            var line = tokens[i].Line;
            var lineTokens = new List<Token>();
            while (i < tokens.Count && tokens[i].Line == line && !(tokens[i] is { Text: "{" or "}", Quoted: false }))
            {
                lineTokens.Add(tokens[i++]);
            }

            List<Directive>? block = null;
            if (i < tokens.Count && tokens[i] is { Text: "{", Quoted: false } && tokens[i].Line == line)
            {
                i++;
                block = ParseBody(file, tokens, ref i, line);
            }

            if (lineTokens.Count > 0)
            {
                directives.Add(new Directive(lineTokens, block));
            }
        }

        throw Syntax(file, openLine, "the '{' opened here is never closed");
    }

    private static List<Token> Tokenize(string file, string text)
    {
        var tokens = new List<Token>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is '"' or '`')
            {
                var start = line;
                var value = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != c)
                {
                    if (text[i] == '\\' && c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        i++;
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                    }

                    value.Append(text[i++]);
                }

                if (i >= text.Length)
                {
                    throw Syntax(file, start, "a quoted token is never closed");
                }

                i++;
                tokens.Add(new Token(value.ToString(), start, true));
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(text[start..i], line, false));
            }
        }

        return tokens;
    }

    private static string ExpandEnvironment(string text, Func<string, string?> environment) =>
        EnvPlaceholder().Replace(text, m => environment(m.Groups[1].Value) is { Length: > 0 } value ? value : m.Groups[3].Value);

    private static DatamancyException Syntax(string file, int line, string reason) =>
        new(ErrorIds.CaddyfileSyntax, ErrorKind.InvalidData, $"{file}:{line}:1: {reason}.", file);

    [GeneratedRegex(@"\{\$([A-Za-z_][A-Za-z0-9_]*)(:([^}]*))?\}")]
    private static partial Regex EnvPlaceholder();
}
