namespace Tierpsy.Krypton.Text;

/// <summary>
/// Quotes words for a POSIX shell (bash on the cluster), so paths with spaces, quotes and <c>$</c> survive.
/// </summary>
internal static class ShellQuote
{
    /// <summary>
    /// One shell word that the shell reads back as exactly <paramref name="text"/>: single quotes, with each
    /// <c>'</c> written as <c>'\''</c>. Plain words made only of safe characters are left bare.
    /// </summary>
    public static string Word(string text)
    {
        if (text.Length > 0 && text.All(IsSafe))
            return text;
        return "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// A path as one shell word. A leading <c>~</c> or <c>~/</c> becomes <c>"$HOME"</c>, so the cluster user's home
    /// is used although the rest is quoted (a quoted <c>~</c> would not be expanded).
    /// </summary>
    public static string Path(string path) =>
        path == "~" ? "\"$HOME\""
        : path.StartsWith("~/", StringComparison.Ordinal) ? "\"$HOME\"/" + (path.Length > 2 ? Word(path[2..]) : "")
        : Word(path);

    /// <summary>Each word quoted, joined by spaces.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(" ", words.Select(Word));

    private static bool IsSafe(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ',' or ':' or '=' or '+' or '@' or '%';
}
