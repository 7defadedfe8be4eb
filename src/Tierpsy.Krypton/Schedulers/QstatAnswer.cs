using System.Globalization;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// What one <c>qstat</c> of <see cref="PbsProScheduler.StatusCommand"/> printed for one job id: its stdout (the JSON),
/// its stderr (messages such as "Unknown Job Id") and its exit code, cut out of the command's framed output.
/// </summary>
internal sealed record QstatAnswer(string Stdout, string Stderr, int ExitCode)
{
    public const string SegmentMarker = "=== krypton qstat";
    public const string ExitMarker = "=== krypton exit";

    /// <summary>The answer for each job id asked; empty when the command printed no framed answer at all.</summary>
    /// <remarks>
    /// The frames are found with string searches, not regular expressions: 10,000 sub-jobs are 15-18 MB of JSON,
    /// and a pattern that may start at any line tried each of its half a million lines (docs/benchmarks.md).
    /// </remarks>
    public static IReadOnlyDictionary<string, QstatAnswer> Split(CommandResult status)
    {
        var (output, error) = (Lines(status.Output), Lines(status.Error));
        var stderr = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, start, end) in Segments(error))
            stderr[id] = error[start..end];
        var answers = new Dictionary<string, QstatAnswer>(StringComparer.Ordinal);
        foreach (var (id, start, end) in Segments(output))
        {
            if (Exit(output, start, end) is not var (at, code))
                continue; // cut off: the command did not finish this id
            answers[id] = new QstatAnswer(output[start..at], stderr.GetValueOrDefault(id) ?? "", code);
        }
        return answers;
    }

    private static string Lines(string text) =>
        text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text;

    /// <summary>Each frame: its job id and where its text starts and ends (a later twin wins in the caller).</summary>
    private static List<(string Id, int Start, int End)> Segments(string text)
    {
        const string head = SegmentMarker + " ";
        var heads = new List<(string Id, int Head, int Start)>();
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
        // A frame ends at the newline before the next heading.
        int End(int i) => i + 1 < heads.Count ? Math.Max(heads[i].Start, heads[i + 1].Head - 1) : text.Length;
        return heads.Select((h, i) => (h.Id, h.Start, End(i))).ToList();
    }

    /// <summary>Where the exit line of a frame starts and the code it gives; null when the frame has none.</summary>
    private static (int At, int Code)? Exit(string text, int start, int end)
    {
        const string exit = "\n" + ExitMarker + " ";
        var at = end > start ? text.LastIndexOf(exit, end - 1, end - start, StringComparison.Ordinal) : -1;
        if (at < 0)
            return null;
        var rest = text.AsSpan(at + exit.Length, end - at - exit.Length).TrimEnd('\n');
        return
            rest.EndsWith(" ===", StringComparison.Ordinal)
            && int.TryParse(rest[..^4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)
            ? (at, code)
            : null;
    }
}
