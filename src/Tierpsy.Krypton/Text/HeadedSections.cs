using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.Text;

/// <summary>
/// Cuts one command's output, in which a heading line introduces each part (<c>=== krypton log &lt;path&gt; ===</c>),
/// into the text of each part by the heading's first group. Depends on nothing; used by the batched log read and by
/// PBS's framed qstat answers.
/// </summary>
internal static class HeadedSections
{
    /// <summary>The text after each heading up to the next, by the heading's first group (a later twin wins).</summary>
    public static IReadOnlyDictionary<string, string> Split(string text, Regex heading)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var matches = heading.Matches(text);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : text.Length;
            result[matches[i].Groups[1].Value] = text[start..end];
        }
        return result;
    }
}
