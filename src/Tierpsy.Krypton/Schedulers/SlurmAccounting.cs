using System.Globalization;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>One task's final record in SLURM's accounting.</summary>
/// <param name="Task">The task number in the submission (1-based).</param>
/// <param name="State">
/// SLURM's state without the "by &lt;uid&gt;" of cancellations (COMPLETED, FAILED, TIMEOUT, OUT_OF_MEMORY, …).</param>
/// <param name="ExitCode">The exit code of <c>ExitCode=code:signal</c>.</param>
/// <param name="Signal">The signal of <c>ExitCode=code:signal</c>.</param>
internal sealed record AccountingRecord(int Task, string State, int ExitCode, int Signal);

/// <summary>
/// Reads <c>sacct -X -P -n -j &lt;ids&gt; --format=JobID,State,ExitCode</c>. sacct lags the controller: rows can be
/// missing, collapsed (<c>24_[5-6]</c>) or lack their task suffix (<c>24</c>); such rows say nothing about a task,
/// so a task without its own row is unknown, never done.
/// </summary>
internal static partial class SlurmAccounting
{
    /// <summary>The command for the given arrays.</summary>
    public static string Command(IReadOnlyList<SubmittedChunk> chunks) =>
        $"sacct -X -P -n -j {string.Join(",", chunks.Select(c => c.JobId))} --format=JobID,State,ExitCode";

    /// <summary>The records of tasks that have their own row.</summary>
    public static IReadOnlyDictionary<int, AccountingRecord> Parse(string output, IReadOnlyList<SubmittedChunk> chunks)
    {
        var records = new Dictionary<int, AccountingRecord>();
        foreach (var line in output.Split('\n'))
        {
            var fields = line.Trim().Split('|');
            if (
                fields.Length < 3
                || SlurmScheduler.Locate(fields[0], chunks) is not { } task
                || ExitCode().Match(fields[2]) is not { Success: true } exit
            )
                continue;
            records[task] = new AccountingRecord(
                task,
                fields[1].Split(' ')[0],
                int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(exit.Groups[2].Value, CultureInfo.InvariantCulture)
            );
        }
        return records;
    }

    /// <summary>The command that asks for the most memory each step of the arrays used (MaxRSS).</summary>
    public static string MemoryCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        $"sacct -n -P -j {string.Join(",", chunks.Select(c => c.JobId))} -o JobID,MaxRSS";

    /// <summary>
    /// The largest MaxRSS of each task's steps (<c>24_3.batch|10240K</c>), in bytes. No recording of a SLURM with
    /// accounting backs this reader: the format is sacct(1)'s (a number with K, M, G or T in 1024s).
    /// </summary>
    public static IReadOnlyDictionary<int, long> MemoryUsed(string output, IReadOnlyList<SubmittedChunk> chunks)
    {
        var used = new Dictionary<int, long>();
        foreach (var line in output.Split('\n'))
        {
            var fields = line.Trim().Split('|');
            if (
                fields.Length != 2
                || SlurmScheduler.Locate(fields[0].Split('.')[0], chunks) is not { } task
                || MemoryText.Parse(fields[1]) is not { } bytes
            )
                continue;
            used[task] = Math.Max(used.GetValueOrDefault(task), bytes);
        }
        return used;
    }

    [GeneratedRegex(@"^(\d+):(\d+)$")]
    private static partial Regex ExitCode();
}
