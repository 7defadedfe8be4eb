using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// The part of every job script after the scheduler's directives: pick this task's line, run it with stdin from
/// /dev/null, write one log per task and end with the task's own exit code. The last log line is always
/// <c># krypton exit &lt;code&gt;</c> when the task ended by itself, so a finished task is proven by its log.
/// </summary>
internal static partial class JobScript
{
    /// <summary>The line a task's log ends with; the number is the task's exit code.</summary>
    public const string ExitMarker = "# krypton exit ";

    /// <summary>The line with the time (seconds since 1970) the task started, near the top of its log.</summary>
    public const string StartMarker = "# krypton start ";

    /// <summary>The line with the time the task ended, just before <see cref="ExitMarker"/>.</summary>
    public const string EndMarker = "# krypton end ";

    public static string Body(ArrayJob job, ArrayChunk chunk, string indexExpression, string jobIdExpression)
    {
        var s = new StringBuilder();
        s.AppendLine("set -u");
        s.AppendLine(
            CultureInfo.InvariantCulture,
            $"# This array covers tasks {chunk.FirstTask}-{chunk.LastTask} of {job.TaskCount}: its index "
                + $"1-{chunk.Count} plus {chunk.Offset}."
        );
        s.AppendLine(CultureInfo.InvariantCulture, $"INDEX={indexExpression}");
        s.AppendLine(CultureInfo.InvariantCulture, $"TASK=$((INDEX + {chunk.Offset}))");
        s.AppendLine(CultureInfo.InvariantCulture, $"LOG={ShellQuote.Path(job.LogDirectory)}/\"$TASK.log\"");
        s.AppendLine("exec > \"$LOG\" 2>&1 < /dev/null");
        s.AppendLine(
            CultureInfo.InvariantCulture,
            $"echo \"# krypton task $TASK of {job.TaskCount}, job {jobIdExpression}, on $(uname -n) at $(date "
                + $"'+%Y-%m-%dT%H:%M:%S')\""
        );
        s.AppendLine(CultureInfo.InvariantCulture, $"echo \"{StartMarker}$(date +%s)\"");
        if (job.Setup.Count > 0)
        {
            s.AppendLine("# Tierpsy setup; set +u because environment scripts (conda activate) read unset variables.");
            s.AppendLine("set +u");
            foreach (var line in job.Setup)
                s.AppendLine(line);
            s.AppendLine("set -u");
        }
        s.AppendLine(
            CultureInfo.InvariantCulture,
            $"LINE=\"$(sed -n \"${{TASK}}p\" {ShellQuote.Path(job.TaskListPath)})\""
        );
        s.AppendLine("if [ -z \"$LINE\" ]; then");
        s.AppendLine("  echo \"# krypton: the task list has no line $TASK\"");
        s.AppendLine(CultureInfo.InvariantCulture, $"  echo \"{EndMarker}$(date +%s)\"");
        s.AppendLine(CultureInfo.InvariantCulture, $"  echo \"{ExitMarker}3\"");
        s.AppendLine("  exit 3");
        s.AppendLine("fi");
        s.AppendLine(
            "# Tierpsy stops at a pdb prompt on some errors: stdin is /dev/null, so it exits instead of waiting."
        );
        s.AppendLine("eval \"$LINE\" < /dev/null &");
        s.AppendLine("CHILD=$!");
        s.AppendLine(
            CultureInfo.InvariantCulture,
            $"trap 'kill -TERM \"$CHILD\" 2>/dev/null; echo \"# krypton: stopped by SIGTERM (walltime, memory limit "
                + $"or cancel)\"; echo \"{EndMarker}$(date +%s)\"; echo \"{ExitMarker}143\"; exit 143' TERM"
        );
        s.AppendLine("CODE=0");
        s.AppendLine("wait \"$CHILD\" || CODE=$?");
        s.AppendLine(CultureInfo.InvariantCulture, $"echo \"{EndMarker}$(date +%s)\"");
        s.AppendLine(CultureInfo.InvariantCulture, $"echo \"{ExitMarker}$CODE\"");
        s.AppendLine("exit \"$CODE\"");
        return s.ToString();
    }

    /// <summary>
    /// A job name every scheduler accepts: letters, digits, <c>_ . -</c>, starting with a letter, at most 15 characters
    /// (Torque's limit).
    /// </summary>
    public static string Name(string name)
    {
        var clean = UnsafeName().Replace(name, "_");
        if (clean.Length == 0 || !char.IsAsciiLetter(clean[0]))
            clean = "t" + clean;
        return clean.Length > 15 ? clean[..15] : clean;
    }

    /// <summary>
    /// Reads the exit code from a log's last <c># krypton exit N</c> line; null while the task has not ended.
    /// </summary>
    public static int? ExitCode(string logTail)
    {
        var line = logTail
            .Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split('\n')
            .LastOrDefault(l => l.StartsWith(ExitMarker, StringComparison.Ordinal));
        return line is not null && int.TryParse(line[ExitMarker.Length..].Trim(), out var code) ? code : null;
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex UnsafeName();
}
