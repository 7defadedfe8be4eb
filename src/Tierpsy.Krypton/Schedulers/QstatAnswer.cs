using System.Globalization;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// What one <c>qstat</c> of <see cref="PbsProScheduler.StatusCommand"/> printed for one job id: its stdout (the JSON,
/// a range of the command's output rather than a copy: it is 15-18 MB for 10,000 sub-jobs), its stderr (messages such
/// as "Unknown Job Id") and its exit code, cut out of the command's framed output.
/// </summary>
internal sealed record QstatAnswer(ReadOnlyMemory<char> Stdout, string Stderr, int ExitCode)
{
    public const string SegmentMarker = "=== krypton qstat";
    public const string ExitMarker = "=== krypton exit";

    /// <summary>The answer for each job id asked; empty when the command printed no framed answer at all.</summary>
    public static IReadOnlyDictionary<string, QstatAnswer> Split(CommandResult status)
    {
        var output = status.Output.Replace("\r\n", "\n", StringComparison.Ordinal);
        var stderr = HeadedSections.Split(status.Error.Replace("\r\n", "\n", StringComparison.Ordinal), SegmentMarker);
        var answers = new Dictionary<string, QstatAnswer>(StringComparer.Ordinal);
        foreach (var (id, start, end) in HeadedSections.Sections(output, SegmentMarker))
        {
            if (Exit(output, start, end) is not var (at, code))
                continue; // cut off: the command did not finish this id
            answers[id] = new QstatAnswer(output.AsMemory(start, at - start), stderr.GetValueOrDefault(id) ?? "", code);
        }
        return answers;
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
