using System.Globalization;
using System.Text;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// No batch system: the job script runs its own tasks on this computer, as many at once as the cores allow
/// (CPUs per task and the throttle respected). The job id is the runner's process id.
/// </summary>
internal sealed class LocalScheduler : IScheduler
{
    /// <inheritdoc />
    public SchedulerKind Kind => SchedulerKind.Local;

    /// <inheritdoc />
    public string? ArrayCapCommand => null;

    /// <inheritdoc />
    public int? ParseArrayCap(string output) => null;

    /// <inheritdoc />
    public string RenderScript(ArrayJob job, ArrayChunk chunk)
    {
        var s = new StringBuilder("#!/bin/bash\n");
        s.AppendLine(
            CultureInfo.InvariantCulture,
            $"# Runs tasks {chunk.FirstTask}-{chunk.LastTask} on this computer; each task is this script again with "
                + $"KRYPTON_TASK_INDEX set."
        );
        s.AppendLine("if [ -z \"${KRYPTON_TASK_INDEX:-}\" ]; then");
        // A runner this job waits for lives while its process runs a job script (any chunk's).
        foreach (var runner in job.AfterAny)
            s.AppendLine(
                CultureInfo.InvariantCulture,
                $"  while {RunnerAlive(runner, "job.'*'.sh")}; do sleep 2; done"
            );
        s.AppendLine(CultureInfo.InvariantCulture, $"  PARALLEL=$(( $(nproc) / {job.Resources.Cpus} ))");
        s.AppendLine("  [ \"$PARALLEL\" -ge 1 ] || PARALLEL=1");
        if (job.Throttle is { } throttle)
            s.AppendLine(CultureInfo.InvariantCulture, $"  [ \"$PARALLEL\" -le {throttle} ] || PARALLEL={throttle}");
        s.AppendLine(
            CultureInfo.InvariantCulture,
            $"  seq 1 {chunk.Count} | xargs -P \"$PARALLEL\" -I{{}} env KRYPTON_TASK_INDEX={{}} bash \"$0\""
        );
        s.AppendLine("  exit 0");
        s.AppendLine("fi");
        s.Append(JobScript.Body(job, chunk, "\"$KRYPTON_TASK_INDEX\"", "local-$PPID"));
        return s.ToString();
    }

    /// <inheritdoc />
    public string SubmitCommand(ArrayJob job, ArrayChunk chunk)
    {
        var script = ShellQuote.Word(Path.GetFileName(job.ScriptPath(chunk)));
        return $"cd {ShellQuote.Path(job.Directory)} && {{ nohup bash {script} > runner.{chunk.Number}.out 2>&1 < "
            + $"/dev/null & echo $!; }}";
    }

    /// <inheritdoc />
    public string ParseSubmitOutput(string output)
    {
        var id = output.Trim();
        return id.Length > 0 && id.All(char.IsAsciiDigit)
            ? id
            : throw new SchedulerException($"The local runner did not start: '{output.Trim()}'.")
            {
                Reason = SchedulerFailure.UnreadableAnswer,
            };
    }

    /// <inheritdoc />
    /// <remarks>
    /// A runner counts as alive only while its process exists, is not a zombie (an ended runner whose parent has not
    /// reaped it yet: <c>kill -0</c> still succeeds on it, and a container's init may reap late) and still runs this
    /// chunk's script (after the runner ended, its process id may be reused by any other program).
    /// </remarks>
    public string StatusCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        string.Concat(
            chunks.Select(c =>
                $"if {RunnerAlive(c.JobId, $"job.{c.Chunk.Number}.sh")}; then echo '{c.JobId} running'; "
                + $"else echo '{c.JobId} gone'; fi; "
            )
        ) + "true";

    /// <summary>
    /// A shell test that succeeds while process <paramref name="pid"/> exists, is no zombie, and runs a script whose
    /// name matches <paramref name="script"/> (a shell pattern, quoted parts and all).
    /// </summary>
    private static string RunnerAlive(string pid, string script) =>
        $"case \"$(ps -o stat= -o args= -p {pid} 2>/dev/null)\" in ''|Z*) false ;; *' {script}'*) true ;; "
        + "*) false ;; esac";

    /// <summary>
    /// While a runner lives its tasks count as queued (their logs tell which run); after it, as not listed.
    /// </summary>
    public IReadOnlyList<SchedulerTask> ParseStatus(CommandResult status, IReadOnlyList<SubmittedChunk> chunks)
    {
        var alive = status
            .Output.Split('\n')
            .Select(l => l.Trim().Split(' '))
            .Where(p => p is [_, "running"])
            .Select(p => p[0])
            .ToHashSet();
        return chunks
            .SelectMany(c =>
                Enumerable
                    .Range(c.Chunk.FirstTask, c.Chunk.Count)
                    .Select(t =>
                        alive.Contains(c.JobId)
                            ? new SchedulerTask(t, SchedulerTaskState.Queued, "runner alive")
                            : new SchedulerTask(t, SchedulerTaskState.NotListed, "runner ended")
                    )
            )
            .ToList();
    }

    /// <inheritdoc />
    public string? EndsCommand(IReadOnlyList<SubmittedChunk> chunks) => null;

    /// <inheritdoc />
    public IReadOnlyDictionary<int, TaskEndCause> ParseEnds(CommandResult ends, IReadOnlyList<SubmittedChunk> chunks) =>
        new Dictionary<int, TaskEndCause>();

    /// <inheritdoc />
    public string CancelCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        $"for p in {string.Join(" ", chunks.Select(c => c.JobId))}; do pkill -TERM -P \"$p\" 2>/dev/null; kill -TERM "
        + $"\"$p\" 2>/dev/null; done; true";
}
