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
    /// Prints <c>task|exists|checkpoint|exit|start|end</c> per task with ONE <c>awk</c>, which opens each task's
    /// log itself (a log it cannot open does not exist): the processes per round do not grow with the tasks, where
    /// grep and tail per log cost the login node seconds of CPU for a thousand tasks (docs/benchmarks.md).
    /// </summary>
    public static string Command(string logDirectory, IEnumerable<int> tasks)
    {
        var markers = string.Join("|", Checkpoints.All.Order(StringComparer.Ordinal));
        var program =
            "BEGIN { n = split(tasks, t, \" \"); for (i = 1; i <= n; i++) { f = t[i] \".log\"; "
            + "c = \"\"; e = \"\"; s = \"\"; d = \"\"; "
            + "r = (getline line < f); if (r < 0) { print t[i] \"|0||||\"; continue } "
            + $"while (r > 0) {{ if (line ~ /^({markers})$/) c = line; "
            + $"else if (line ~ /^{JobScript.ExitMarker}[0-9]+/) {{ split(line, w, \" \"); e = w[4] }} "
            + $"else if (line ~ /^{JobScript.StartMarker}[0-9]+$/) {{ split(line, w, \" \"); s = w[4] }} "
            + $"else if (line ~ /^{JobScript.EndMarker}[0-9]+$/) {{ split(line, w, \" \"); d = w[4] }} "
            + "r = (getline line < f) } close(f); print t[i] \"|1|\" c \"|\" e \"|\" s \"|\" d } }";
        return $"cd {ShellQuote.Path(logDirectory)} 2>/dev/null || exit 0; "
            + $"awk -v tasks={ShellQuote.Word(string.Join(" ", tasks))} {ShellQuote.Word(program)} < /dev/null";
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
