using System.Globalization;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;
using Tierpsy.Krypton.Text;
using Tierpsy.Krypton.Tierpsy;

namespace Tierpsy.Krypton.Workflow;

/// <summary>ONE command that prints the ends of several task logs, and its parser.</summary>
internal static class LogTails
{
    /// <summary>Enough of a log to find its last checkpoint marker, traceback or end line.</summary>
    public const int TailBytes = 256 * 1024;

    public static string Command(IEnumerable<string> paths) =>
        $"for f in {string.Join(" ", paths.Select(ShellQuote.Path))}; do printf '\\n=== krypton log %s ===\\n' "
        + $"\"$f\"; tail -c {TailBytes} \"$f\" 2>/dev/null; done; true";

    /// <summary>The text of each log by its path as printed (the remote home already expanded).</summary>
    public static IReadOnlyDictionary<string, string> Parse(string output) =>
        HeadedSections.Split(output, "=== krypton log");

    /// <summary>The ends of these logs by path: one command; none when there is no path.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(
        IRemote remote,
        IReadOnlyCollection<string> paths,
        TimeSpan timeout,
        CancellationToken ct
    ) =>
        paths.Count == 0
            ? new Dictionary<string, string>()
            : Parse((await remote.RunAsync(Command(paths), timeout, ct)).Output);

    /// <summary>
    /// Which of these logs exist and are not empty, in one command: the job script starts a task's log at once, so
    /// such a log proves that its task started. Numbers, not paths, come back, so no path is parsed from output.
    /// </summary>
    public static async Task<IReadOnlySet<string>> StartedAsync(
        IRemote remote,
        IReadOnlyList<string> paths,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        if (paths.Count == 0)
            return new HashSet<string>();
        var command =
            $"i=0; for f in {string.Join(" ", paths.Select(ShellQuote.Path))}; do i=$((i+1)); "
            + "[ -s \"$f\" ] && echo \"$i\"; done; true";
        var output = (await remote.RunAsync(command, timeout, ct)).Output;
        return output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n =>
                int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                && i >= 1
                && i <= paths.Count
                    ? paths[i - 1]
                    : null
            )
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>How an ended task went, from its log and the exit code the job script wrote at its end.</summary>
    public static TaskLogReport ClassifyEnded(string log, string? killedBecause = null) =>
        TaskLogClassifier.Classify(log, ended: true, killedBecause, JobScript.ExitCode(log));
}
