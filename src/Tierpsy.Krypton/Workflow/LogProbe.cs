using System.Globalization;
using Tierpsy.Krypton.Remote;
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
    /// <summary>Prints <c>task|exists|checkpoint|exit</c> per task.</summary>
    public static string Command(string logDirectory, IEnumerable<int> tasks)
    {
        var markers = string.Join("|", Checkpoints.All.Order(StringComparer.Ordinal));
        return $"cd {ShellQuote.Path(logDirectory)} 2>/dev/null || exit 0; for t in {string.Join(" ", tasks)}; do "
            + $"f=\"$t.log\"; "
            + "if [ -e \"$f\" ]; then "
            + $"c=$(grep -E -x '{markers}' \"$f\" | tail -n 1); e=$(grep -E '^# krypton exit [0-9]+' \"$f\" | tail -n "
            + $"1); "
            + "printf '%s|1|%s|%s\\n' \"$t\" \"$c\" \"${e#\\# krypton exit }\"; "
            + "else printf '%s|0||\\n' \"$t\"; fi; done";
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
