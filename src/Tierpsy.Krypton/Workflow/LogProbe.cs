using System.Globalization;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// What a task's log says without copying it: does it exist, its last checkpoint, its exit code, and when it started
/// and ended (seconds since 1970, from the job script's marker lines).
/// </summary>
internal sealed record LogReading(
    int Task,
    bool Exists,
    string? Checkpoint,
    int? ExitCode,
    long? Start = null,
    long? End = null
);

/// <summary>
/// ONE command that reads many task logs of a submission (Monitor's round, the Report's timeline), and its parser.
/// </summary>
internal static class LogProbe
{
    /// <summary>
    /// Prints <c>task|exists|checkpoint|exit|start|end</c> per task with three programs, however many tasks: <c>ls</c>
    /// names the logs that exist, one <c>grep</c> prints the few lines worth reading from all of them (checkpoints
    /// and the job script's marker lines; a Hydra video's log has a thousand lines of progress), and one <c>awk</c>
    /// keeps the last of each per log. A grep and a tail per log, or one awk reading every line, cost the login node
    /// more (docs/benchmarks.md, "Design measurements").
    /// </summary>
    public static string Command(string logDirectory, IEnumerable<int> tasks)
    {
        var list = tasks.ToList();
        var markers = string.Join("|", Checkpoints.All.Order(StringComparer.Ordinal));
        var lines =
            $"^({markers})$|^{JobScript.ExitMarker}[0-9]|^{JobScript.StartMarker}[0-9]|^{JobScript.EndMarker}[0-9]";
        var program =
            "{ i = index($0, \":\"); if (i == 0) { x[$0] = 1; next } f = substr($0, 1, i - 1); l = substr($0, i + 1); "
            + $"if (l ~ /^({markers})$/) c[f] = l; "
            + $"else if (l ~ /^{JobScript.ExitMarker}[0-9]+/) {{ split(l, w, \" \"); e[f] = w[4] }} "
            + $"else if (l ~ /^{JobScript.StartMarker}[0-9]+$/) {{ split(l, w, \" \"); s[f] = w[4] }} "
            + $"else if (l ~ /^{JobScript.EndMarker}[0-9]+$/) {{ split(l, w, \" \"); d[f] = w[4] }} }} "
            + "END { n = split(tasks, t, \" \"); for (k = 1; k <= n; k++) { f = t[k] \".log\"; "
            + "if (f in x) print t[k] \"|1|\" c[f] \"|\" e[f] \"|\" s[f] \"|\" d[f]; else print t[k] \"|0||||\" } }";
        return $"cd {ShellQuote.Path(logDirectory)} 2>/dev/null || exit 0; "
            + $"set -- {string.Join(" ", list.Select(t => $"{t}.log"))}; "
            + "{ command ls -1 -d -- \"$@\" 2>/dev/null; "
            + $"LC_ALL=C command grep -H -s -E {ShellQuote.Word(lines)} -- \"$@\" < /dev/null; }} | "
            + $"awk -v tasks={ShellQuote.Word(string.Join(" ", list))} {ShellQuote.Word(program)}";
    }

    public static IReadOnlyDictionary<int, LogReading> Parse(string output)
    {
        var readings = new Dictionary<int, LogReading>();
        foreach (var line in output.Split('\n'))
        {
            var f = line.TrimEnd('\r').Split('|');
            if (
                f.Length is not (4 or 6)
                || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var task)
            )
                continue;
            readings[task] = new LogReading(
                task,
                f[1] == "1",
                f[2].Length > 0 ? f[2] : null,
                (int?)Number(f[3]),
                f.Length == 6 ? Number(f[4]) : null,
                f.Length == 6 ? Number(f[5]) : null
            );
        }
        return readings;
    }

    private static long? Number(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
