using System.Globalization;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// What one <c>qstat</c> of <see cref="PbsProScheduler.StatusCommand"/> printed for one job id: its stdout (the JSON),
/// its stderr (messages such as "Unknown Job Id") and its exit code, cut out of the command's framed output.
/// </summary>
internal sealed partial record QstatAnswer(string Stdout, string Stderr, int ExitCode)
{
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
            if (!exit.Success)
                continue; // cut off: the command did not finish this id
            answers[id] = new QstatAnswer(
                text[..exit.Index],
                stderr.GetValueOrDefault(id) ?? "",
                int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture)
            );
        }
        return answers;
    }

    private static IReadOnlyDictionary<string, string> Segments(string text) =>
        HeadedSections.Split(text.Replace("\r\n", "\n", StringComparison.Ordinal), Segment());

    [GeneratedRegex(@"(?:^|\n)" + SegmentMarker + @" (.+) ===\n")]
    private static partial Regex Segment();

    [GeneratedRegex(@"\n" + ExitMarker + @" (-?\d+) ===\n?$")]
    private static partial Regex Exit();
}
