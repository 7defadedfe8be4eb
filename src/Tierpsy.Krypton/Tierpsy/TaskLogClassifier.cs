using System.Text.RegularExpressions;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>
/// Reads the log of one per-video run (stdout and stderr merged) and says how far it got and how it ended.
/// Lines are matched by their Tierpsy wording, never by paths, which differ per cluster.
/// </summary>
internal static partial class TaskLogClassifier
{
    /// <summary>The job script's own lines in a log start with this (its start line, its exit code).</summary>
    private const string JobScriptLine = "# krypton";

    /// <param name="log">The task's log so far.</param>
    /// <param name="ended">Whether the scheduler says the task has ended.</param>
    /// <param name="killedBecause">Why the scheduler killed the task ("killed at the walltime"), when it says.</param>
    /// <param name="exitCode">The exit code the job script wrote at the log's end; null when it wrote none.</param>
    public static TaskLogReport Classify(string log, bool ended, string? killedBecause = null, int? exitCode = null)
    {
        var lines = log.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var checkpoint = lines.LastOrDefault(l => Checkpoints.All.Contains(l.Trim()))?.Trim();

        if (string.IsNullOrWhiteSpace(log))
            return ended
                ? new(TaskOutcome.Empty, null, "the log is empty: no command ran for this task")
                : new(TaskOutcome.Running, null, "not started");

        if (
            lines.Any(l => l.StartsWith("(Pdb)", StringComparison.Ordinal)) || lines.Any(l => l.Trim() == "bdb.BdbQuit")
        )
        {
            var location = Array.FindIndex(lines, l => l.StartsWith("> ", StringComparison.Ordinal));
            var message = location > 0 ? lines[location - 1].Trim() : "";
            return new(
                TaskOutcome.DebuggerExit,
                checkpoint,
                (message.Length > 0 ? message + " " : "") + "(Tierpsy stopped at a pdb breakpoint: bdb.BdbQuit)"
            );
        }

        var traceback = Array.FindLastIndex(lines, l =>
            l.StartsWith("Traceback (most recent call last):", StringComparison.Ordinal)
        );
        if (traceback >= 0)
        {
            var exception = lines.Skip(traceback + 1).FirstOrDefault(l => l.Length > 0 && !char.IsWhiteSpace(l[0]))
                ?? "unknown exception";
            return new(TaskOutcome.Traceback, checkpoint, exception.Trim());
        }

        var early = Array.FindIndex(lines, l => l.Contains(" Finished early.", StringComparison.Ordinal));
        if (early >= 0)
        {
            var text = string.Join(" ", lines.Skip(early).Take(3).Select(l => l.Trim()));
            var detail =
                Requirement().Match(text) is { Success: true } r
                    ? $"the video does not meet {r.Groups[2].Value} needed by {r.Groups[1].Value}"
                : Exists().Match(text) is { Success: true } e
                    ? $"the output of {e.Groups[1].Value} already exists; delete it to run that step again"
                : text;
            return new(TaskOutcome.FinishedEarly, checkpoint, detail);
        }

        if (
            lines.Any(l =>
                l.Contains(
                    "No checkpoints given. It seems that there is a previous analysis finished.",
                    StringComparison.Ordinal
                )
            )
        )
            return new(TaskOutcome.AlreadyFinished, checkpoint, "a previous analysis had finished");

        var finished = Array.FindLastIndex(lines, l => l.Contains("  Finished. Total time", StringComparison.Ordinal));
        if (finished >= 0)
        {
            return MissingPoints().Match(lines[finished]) is { Success: true } missing
                ? new(
                    TaskOutcome.Incomplete,
                    checkpoint,
                    $"missing analysis points in the {missing.Groups[1].Value} dir: {missing.Groups[2].Value}"
                )
                : new(TaskOutcome.Succeeded, checkpoint, "");
        }

        var stopped = lines.Any(l => l.StartsWith(StoppedLine, StringComparison.Ordinal));
        if (exitCode is { } code and not 0 && checkpoint is null && !stopped)
            return new(TaskOutcome.NotStarted, null, $"{FirstError(lines) ?? $"exit code {code}"} (exit code {code})");
        if (!ended && exitCode is null)
            return new(TaskOutcome.Running, checkpoint, "");
        return new(
            TaskOutcome.Killed,
            checkpoint,
            killedBecause ?? "the log stops without an end: killed (walltime, memory or node failure)"
        );
    }

    /// <summary>The job script's line when the scheduler stopped the task with SIGTERM.</summary>
    private const string StoppedLine = JobScriptLine + ": stopped by SIGTERM";

    /// <summary>
    /// The first line the shell or a program printed before Tierpsy started (the job script's own lines left out),
    /// without the shell's "script: line N:" prefix: usually the cause, e.g. "module: command not found".
    /// </summary>
    private static string? FirstError(string[] lines) =>
        lines
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith(JobScriptLine, StringComparison.Ordinal))
            .Select(l => ShellPrefix().Replace(l, ""))
            .FirstOrDefault();

    [GeneratedRegex(@"^\S+: line \d+: ")]
    private static partial Regex ShellPrefix();

    [GeneratedRegex(@"for step (\w+) because it does not sastify the requiriments: (\[.*?\])")]
    private static partial Regex Requirement();

    [GeneratedRegex(@"the step (\w+)\s+already exists")]
    private static partial Regex Exists();

    [GeneratedRegex(@"Missing analysis points in the (tmp|final) dir: (\[[^\]]*\])")]
    private static partial Regex MissingPoints();
}
