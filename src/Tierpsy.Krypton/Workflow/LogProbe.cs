using System.Globalization;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// What one round learns from a task's log without copying it: does it exist, its last checkpoint, its exit code.
/// </summary>
internal sealed record LogReading(int Task, bool Exists, string? Checkpoint, int? ExitCode);

/// <summary>ONE command per round that reads the state of many task logs, and its parser.</summary>
internal static class LogProbe
{
    /// <summary>
    /// Prints <c>task|exists|checkpoint|exit</c> per task with ONE <c>awk</c>, which opens each task's log itself
    /// (a log it cannot open does not exist): the processes per round do not grow with the tasks, where grep and tail
    /// per log cost the login node seconds of CPU for a thousand tasks (docs/benchmarks.md).
    /// </summary>
    public static string Command(string logDirectory, IEnumerable<int> tasks)
    {
        var markers = string.Join("|", Checkpoints.All.Order(StringComparer.Ordinal));
        var program =
            "BEGIN { n = split(tasks, t, \" \"); for (i = 1; i <= n; i++) { f = t[i] \".log\"; c = \"\"; e = \"\"; "
            + "r = (getline line < f); if (r < 0) { print t[i] \"|0||\"; continue } "
            + $"while (r > 0) {{ if (line ~ /^({markers})$/) c = line; "
            + $"else if (line ~ /^{JobScript.ExitMarker}[0-9]+/) {{ split(line, w, \" \"); e = w[4] }} "
            + "r = (getline line < f) } close(f); print t[i] \"|1|\" c \"|\" e } }";
        return $"cd {ShellQuote.Path(logDirectory)} 2>/dev/null || exit 0; "
            + $"awk -v tasks={ShellQuote.Word(string.Join(" ", tasks))} {ShellQuote.Word(program)} < /dev/null";
    }

    public static IReadOnlyDictionary<int, LogReading> Parse(string output)
    {
        var readings = new Dictionary<int, LogReading>();
        foreach (var line in output.Split('\n'))
        {
            var f = line.TrimEnd('\r').Split('|');
            if (f.Length != 4 || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var task))
                continue;
            readings[task] = new LogReading(
                task,
                f[1] == "1",
                f[2].Length > 0 ? f[2] : null,
                int.TryParse(f[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null
            );
        }
        return readings;
    }
}
