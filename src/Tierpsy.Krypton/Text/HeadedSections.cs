namespace Tierpsy.Krypton.Text;

/// <summary>
/// Cuts one command's output, in which a heading line introduces each part (<c>=== krypton log &lt;path&gt; ===</c>),
/// into the text of each part by the name in its heading. Depends on nothing; used by the batched log read, the
/// --then-summarize records and PBS's framed qstat answers. Headings are found by string search: PBS's answers for
/// 10,000 sub-jobs are 15-18 MB, and a pattern that may start at any line tried each of half a million lines.
/// </summary>
internal static class HeadedSections
{
    /// <summary>
    /// The text after each heading (<c>&lt;marker&gt; &lt;name&gt; ===</c> on a line of its own) up to the newline
    /// before the next, by name (a later twin wins).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Split(string text, string marker)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, start, end) in Sections(text, marker))
            result[name] = text[start..end];
        return result;
    }

    /// <summary>Each section in order: the name in its heading, and where its text starts and ends.</summary>
    public static List<(string Name, int Start, int End)> Sections(string text, string marker)
    {
        var head = marker + " ";
        var heads = new List<(string Name, int Head, int Start)>();
        var at = -1;
        while ((at = text.IndexOf(head, at + 1, StringComparison.Ordinal)) >= 0)
        {
            var close = text.IndexOf('\n', at);
            if (close < 0)
                break;
            var line = text.AsSpan(at + head.Length, close - at - head.Length);
            if ((at == 0 || text[at - 1] == '\n') && line.Length > 4 && line.EndsWith(" ===", StringComparison.Ordinal))
                heads.Add((line[..^4].ToString(), at, close + 1));
        }
        int End(int i) => i + 1 < heads.Count ? Math.Max(heads[i].Start, heads[i + 1].Head - 1) : text.Length;
        return heads.Select((h, i) => (h.Name, h.Start, End(i))).ToList();
    }
}
