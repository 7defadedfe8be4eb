using System.Globalization;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// What a task's log says of its run: start and end (seconds since 1970), exit code, last checkpoint.
/// </summary>
internal sealed record TaskTime(long? Start, long? End, int? ExitCode, string? Checkpoint);

/// <summary>
/// ONE command that reads the run of every task of several submissions from their logs: one <c>awk</c> per
/// submission over all its logs, printing only the marker lines' values (no process per task).
/// </summary>
internal static class TaskTimes
{
    public static string Command(IEnumerable<Submission> submissions)
    {
        var checkpoints = string.Join("|", Checkpoints.All.Order(StringComparer.Ordinal));
        var program =
            "FNR == 1 { if (f != \"\") print f \"|\" s \"|\" e \"|\" x \"|\" c; f = FILENAME; s = \"\"; e = \"\"; "
            + "x = \"\"; c = \"\" } "
            + $"/^{JobScript.StartMarker}[0-9]+$/ {{ s = $4 }} /^{JobScript.EndMarker}[0-9]+$/ {{ e = $4 }} "
            + $"/^{JobScript.ExitMarker}[0-9]+$/ {{ x = $4 }} /^({checkpoints})$/ {{ c = $0 }} "
            + "END { if (f != \"\") print f \"|\" s \"|\" e \"|\" x \"|\" c }";
        return string.Concat(
                submissions.Select(s =>
                    $"printf '\\036%s\\n' {ShellQuote.Word(s.Id)}; ( cd {ShellQuote.Path(s.Directory + "/logs")} "
                    + $"2>/dev/null && awk {ShellQuote.Word(program)} *.log 2>/dev/null ); "
                )
            ) + "true";
    }

    /// <summary>The runs by submission id and task.</summary>
    public static IReadOnlyDictionary<(string Submission, int Task), TaskTime> Parse(string output)
    {
        var times = new Dictionary<(string, int), TaskTime>();
        string? submission = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith('\u001e'))
            {
                submission = line[1..].TrimEnd('\r');
                continue;
            }
            var f = line.TrimEnd('\r').Split('|');
            if (
                submission is null
                || f.Length != 5
                || !f[0].EndsWith(".log", StringComparison.Ordinal)
                || !int.TryParse(f[0][..^4], NumberStyles.None, CultureInfo.InvariantCulture, out var task)
            )
                continue;
            times[(submission, task)] = new TaskTime(
                Long(f[1]),
                Long(f[2]),
                (int?)Long(f[3]),
                f[4].Length > 0 ? f[4] : null
            );
        }
        return times;
    }

    private static long? Long(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
