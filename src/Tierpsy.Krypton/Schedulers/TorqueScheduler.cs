using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// Torque: <c>qsub</c> with <c>#PBS -t 1-N%T</c>, <c>PBS_ARRAYID</c>, ids <c>1098[].host</c>, status from
/// <c>qstat -t</c>. Torque forgets finished jobs soon, so a task's end is read from its log.
/// </summary>
internal sealed partial class TorqueScheduler : IScheduler
{
    /// <inheritdoc />
    public SchedulerKind Kind => SchedulerKind.Torque;

    /// <inheritdoc />
    public string? ArrayCapCommand => "qmgr -c 'print server'";

    /// <inheritdoc />
    public int? ParseArrayCap(string output) =>
        MaxArraySize().Match(output) is { Success: true } m
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    /// <inheritdoc />
    public string RenderScript(ArrayJob job, ArrayChunk chunk)
    {
        var s = new StringBuilder("#!/bin/bash -l\n");
        s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -N {JobScript.Name(job.Name)}");
        s.AppendLine(
            CultureInfo.InvariantCulture,
            $"#PBS -t 1-{chunk.Count}{(job.Throttle is { } throttle ? $"%{throttle}" : "")}"
        );
        s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -l walltime={DurationText.Format(job.Resources.Walltime)}");
        s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -l nodes=1:ppn={job.Resources.Cpus}");
        if (job.Resources.Memory is { Length: > 0 } mem)
            s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -l mem={mem}");
        if (job.Resources.Queue is { Length: > 0 } queue)
            s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -q {queue}");
        Qsub.AppendMail(s, job.Site);
        if (job.Site.Account is { Length: > 0 } account)
            s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -A {account}");
        // Torque's dependency on a whole array is its own type (afteranyarray), on the array's id.
        if (job.AfterAny.Count > 0)
            s.AppendLine(
                CultureInfo.InvariantCulture,
                $"#PBS -W depend=afteranyarray:{string.Join(":", job.AfterAny)}"
            );
        s.AppendLine("#PBS -j oe");
        foreach (var line in job.Site.Lines)
            s.AppendLine(line);
        s.Append(JobScript.Body(job, chunk, "\"${PBS_ARRAYID:-1}\"", "${PBS_JOBID:-?}"));
        return s.ToString();
    }

    /// <inheritdoc />
    public string SubmitCommand(ArrayJob job, ArrayChunk chunk) => Qsub.SubmitCommand(job, chunk);

    /// <inheritdoc />
    public string ParseSubmitOutput(string output) => Qsub.ParseJobId(output, "1098[].host");

    /// <inheritdoc />
    public string StatusCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        "qstat -t " + string.Join(" ", chunks.Select(c => ShellQuote.Word(c.JobId)));

    /// <inheritdoc />
    /// <remarks>An id Torque no longer knows ("Unknown Job Id", "Unknown Array ID") leaves its tasks out.</remarks>
    public IReadOnlyList<SchedulerTask> ParseStatus(CommandResult status, IReadOnlyList<SubmittedChunk> chunks)
    {
        var seen = new Dictionary<int, SchedulerTask>();
        var locator = new JobLocator(chunks);
        foreach (var line in status.Output.Split('\n'))
        {
            if (Row().Match(line.TrimEnd()) is not { Success: true } m)
                continue;
            if (locator.Locate(m.Groups[1].Value) is not { } task)
                continue;
            var state = m.Groups[2].Value;
            seen[task] = new SchedulerTask(
                task,
                state switch
                {
                    "R" or "E" or "S" => SchedulerTaskState.Running,
                    "C" => SchedulerTaskState.Ended,
                    _ => SchedulerTaskState.Queued, // Q, H, W, T
                },
                state,
                Waiting: state == "H" ? PendingReasons.Held : null
            );
        }
        var unknown =
            status.Error.Contains("Unknown Job Id", StringComparison.OrdinalIgnoreCase)
            || status.Error.Contains("Unknown Array ID", StringComparison.OrdinalIgnoreCase);
        if (seen.Count == 0 && status.ExitCode != 0 && !unknown)
            throw new SchedulerException($"qstat failed (exit code {status.ExitCode}): {status.All.Trim()}")
            {
                ExitCode = status.ExitCode,
            };
        return chunks.Complete(seen);
    }

    /// <inheritdoc />
    public string? EndsCommand(IReadOnlyList<SubmittedChunk> chunks) => null;

    /// <inheritdoc />
    public IReadOnlyDictionary<int, TaskEndCause> ParseEnds(CommandResult ends, IReadOnlyList<SubmittedChunk> chunks) =>
        new Dictionary<int, TaskEndCause>();

    /// <inheritdoc />
    public string CancelCommand(IReadOnlyList<SubmittedChunk> chunks) => Qsub.CancelCommand(chunks);

    [GeneratedRegex(@"max_job_array_size\s*=\s*(\d+)")]
    private static partial Regex MaxArraySize();

    /// <summary>
    /// <c>1098[3].host  name  user  00:00:01 R batch</c>: id, then the state letter before the queue.
    /// </summary>
    [GeneratedRegex(@"^(\d+\[\d+\]\S*)\s+\S+\s+\S+\s+\S+\s+([A-Z])\s+\S+$")]
    private static partial Regex Row();
}
