using System.Globalization;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// What one <c>qstat</c> of <see cref="PbsProScheduler.StatusCommand"/> printed for one job id: its stdout (the JSON),
/// its stderr (messages such as "Unknown Job Id") and its exit code, cut out of the command's framed output.
/// </summary>
internal sealed partial record QstatAnswer(string Stdout, string Stderr, int ExitCode)
{
    public const string HistoryMarker = "=== krypton history";
    public const string SegmentMarker = "=== krypton qstat";
    public const string ExitMarker = "=== krypton exit";

    /// <summary>The answer for each job id asked; empty when the command printed no framed answer at all.</summary>
    public static IReadOnlyDictionary<string, QstatAnswer> Split(CommandResult status)
    {
        var stdout = Segments(status.Output);
        var stderr = Segments(status.Error);
        var answers = new Dictionary<string, QstatAnswer>(StringComparer.Ordinal);
        foreach (var (id, text) in stdout)
        {
            var exit = Exit().Match(text);
            if (!exit.Success) continue; // cut off: the command did not finish this id
            answers[id] = new QstatAnswer(text[..exit.Index], stderr.GetValueOrDefault(id) ?? "",
                int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        return answers;
    }

    /// <summary>Whether the server keeps job history (so finished jobs were asked for with <c>-x</c>).</summary>
    public static bool History(CommandResult status) => status.Output.Contains(HistoryMarker + " -x", StringComparison.Ordinal);

    private static Dictionary<string, string> Segments(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var matches = Segment().Matches(text.Replace("\r\n", "\n", StringComparison.Ordinal));
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : text.Length;
            result[matches[i].Groups[1].Value] = text[start..end];
        }
        return result;
    }

    [GeneratedRegex(@"(?:^|\n)=== krypton qstat (.+) ===\n")]
    private static partial Regex Segment();

    [GeneratedRegex(@"\n=== krypton exit (-?\d+) ===\n?$")]
    private static partial Regex Exit();
}
