using System.Text;

namespace Datamancy.Engine;

/// <summary>
/// Compose splits a command given as one string into words like a POSIX shell (quotes and
/// backslashes, no expansion); a list is taken as it is.
/// </summary>
public static class ShellWords
{
    public static List<string> Expand(IReadOnlyList<string> command) => command.Count == 1 ? Split(command[0]) : command.ToList();

    /// <summary>The words as a shell line a user can read back: a word with spaces, quotes or nothing in it is single-quoted.</summary>
    public static string Join(IEnumerable<string> words) =>
        string.Join(' ', words.Select(w => w.Length > 0 && !w.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\' or '$' or '`')
            ? w
            : "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'') { quote = '\0'; } else { word.Append(c); }
            }
            else if (quote == '"')
            {
                if (c == '"') { quote = '\0'; }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') { word.Append(text[++i]); }
                else { word.Append(c); }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord) { words.Add(word.ToString()); }
        return words;
    }
}
