using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// SLURM: <c>sbatch --parsable</c> with <c>#SBATCH --array=1-N%T</c>, <c>SLURM_ARRAY_TASK_ID</c>, status from
/// <c>squeue -r -t all</c>: it lists ended tasks too (COMPLETED, CANCELLED, TIMEOUT, ...) for the controller's
/// MinJobAge (300 s by default), after which they leave it and their end is read from their logs alone.
/// </summary>
internal sealed partial class SlurmScheduler : IScheduler
{
    /// <inheritdoc />
    public SchedulerKind Kind => SchedulerKind.Slurm;

    /// <inheritdoc />
    public string? ArrayCapCommand => "scontrol show config";

    /// <summary>
    /// MaxArraySize caps the index (largest index MaxArraySize − 1); indices start at 1, so that many minus one tasks.
    /// </summary>
    public int? ParseArrayCap(string output) =>
        (
            MaxArraySize().Match(output) is { Success: true } m
                ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
                : DefaultMaxArraySize
        ) - 1;

    /// <summary>SLURM's MaxArraySize when slurm.conf does not set it (slurm.conf(5)).</summary>
    private const int DefaultMaxArraySize = 1001;

    /// <inheritdoc />
    public string RenderScript(ArrayJob job, ArrayChunk chunk)
    {
        var s = new StringBuilder("#!/bin/bash -l\n");
        s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --job-name={JobScript.Name(job.Name)}");
        s.AppendLine(
            CultureInfo.InvariantCulture,
            $"#SBATCH --array=1-{chunk.Count}{(job.Throttle is { } throttle ? $"%{throttle}" : "")}"
        );
        s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --time={DurationText.Format(job.Resources.Walltime)}");
        s.AppendLine("#SBATCH --ntasks=1");
        s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={job.Resources.Cpus}");
        if (job.Resources.Memory is { Length: > 0 } mem)
            s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --mem={SlurmMemory(mem)}");
        if (job.Resources.Queue is { Length: > 0 } queue)
            s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --partition={queue}");
        if (job.Site.Mail is { Length: > 0 } mail)
            s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --mail-user={mail}")
                .AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --mail-type={job.Site.SlurmMailType}");
        if (job.Site.Account is { Length: > 0 } account)
            s.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --account={account}");
        if (job.AfterAny.Count > 0)
            s.AppendLine(
                CultureInfo.InvariantCulture,
                $"#SBATCH --dependency=afterany:{string.Join(":", job.AfterAny)}"
            );
        s.AppendLine("#SBATCH --output=slurm-%A_%a.out");
        foreach (var line in job.Site.Lines)
            s.AppendLine(line);
        s.Append(
            JobScript.Body(
                job,
                chunk,
                "\"${SLURM_ARRAY_TASK_ID:-1}\"",
                "${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID:-?}"
            )
        );
        return s.ToString();
    }

    /// <summary>PBS-style <c>16gb</c> becomes SLURM's <c>16G</c>; anything else is passed on as written.</summary>
    internal static string SlurmMemory(string memory) =>
        PbsMemory().Match(memory.Trim()) is { Success: true } m
            ? m.Groups[1].Value + m.Groups[2].Value.ToUpperInvariant()
            : memory;

    /// <inheritdoc />
    public string SubmitCommand(ArrayJob job, ArrayChunk chunk) =>
        $"cd {ShellQuote.Path(job.Directory)} && sbatch --parsable "
        + $"{ShellQuote.Word(Path.GetFileName(job.ScriptPath(chunk)))}";

    /// <inheritdoc />
    public string ParseSubmitOutput(string output)
    {
        var id = output.Trim().Split('\n')[^1].Split(';')[0].Trim();
        return id.Length > 0 && id.All(char.IsAsciiDigit)
            ? id
            : throw new SchedulerException($"sbatch printed no job id: '{output.Trim()}'.")
            {
                Reason = SchedulerFailure.UnreadableAnswer,
            };
    }

    /// <inheritdoc />
    public string StatusCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        $"squeue -r -h -t all -j {string.Join(",", chunks.Select(c => c.JobId))} -o '%i|%T|%r'";

    /// <inheritdoc />
    public IReadOnlyList<SchedulerTask> ParseStatus(CommandResult status, IReadOnlyList<SubmittedChunk> chunks)
    {
        if (status.ExitCode != 0 && !status.Error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
            throw new SchedulerException($"squeue failed (exit code {status.ExitCode}): {status.All.Trim()}")
            {
                ExitCode = status.ExitCode,
            };
        return chunks.Complete(QueueLines(status.Output, chunks));
    }

    /// <summary>The tasks of these arrays in squeue's lines <c>id|state|reason</c>; other lines are skipped.</summary>
    private static Dictionary<int, SchedulerTask> QueueLines(string output, IReadOnlyList<SubmittedChunk> chunks)
    {
        var seen = new Dictionary<int, SchedulerTask>();
        foreach (var line in output.Split('\n'))
        {
            var fields = line.Trim().Split('|');
            if (fields.Length < 2 || Locate(fields[0], chunks) is not { } task)
                continue;
            seen[task] = new SchedulerTask(
                task,
                fields[1] switch
                {
                    "RUNNING" or "COMPLETING" or "STAGE_OUT" or "SUSPENDED" or "STOPPED" or "SIGNALING" =>
                        SchedulerTaskState.Running,
                    "PENDING" or "CONFIGURING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESIZING" =>
                        SchedulerTaskState.Queued,
                    // COMPLETED, FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY, NODE_FAIL, ...
                    _ => SchedulerTaskState.Ended,
                },
                fields[1],
                Cause: EndCause(fields[1]),
                Waiting: fields[1] == "PENDING" && fields.Length > 2 && fields[2] is not ("" or "None")
                    ? fields[2]
                    : null
            );
        }
        return seen;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Accounting (sacct) keeps every end where it is on; squeue still lists a task that ended within MinJobAge, also
    /// where accounting is off. Both run in one command, accounting first.
    /// </remarks>
    public string? EndsCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        $"{SlurmAccounting.Command(chunks)}; echo '{QueueMarker}'; {StatusCommand(chunks)}";

    /// <summary>The line between sacct's and squeue's answers in <see cref="EndsCommand"/>.</summary>
    private const string QueueMarker = "=== krypton squeue";

    /// <inheritdoc />
    /// <remarks>Where accounting is off, sacct prints nothing ("Slurm accounting storage is disabled").</remarks>
    public IReadOnlyDictionary<int, TaskEndCause> ParseEnds(CommandResult ends, IReadOnlyList<SubmittedChunk> chunks)
    {
        var parts = ends.Output.Split(QueueMarker + "\n");
        var causes =
            parts.Length < 2
                ? new Dictionary<int, TaskEndCause>()
                : QueueLines(parts[1], chunks)
                    .Values.Where(t => t.Cause is not null)
                    .ToDictionary(t => t.Task, t => t.Cause!.Value);
        foreach (var record in SlurmAccounting.Parse(parts[0], chunks).Values)
            if (EndCause(record.State) is { } cause)
                causes[record.Task] = cause;
        return causes;
    }

    /// <summary>
    /// Why SLURM ended a task, from its state word (squeue's and sacct's are the same); null for an end of its own.
    /// Whether a cancelled task had started is told by its log, which the job script starts at once.
    /// </summary>
    private static TaskEndCause? EndCause(string state) =>
        state.Split(' ')[0] switch
        {
            "TIMEOUT" or "DEADLINE" => TaskEndCause.Walltime,
            "OUT_OF_MEMORY" => TaskEndCause.Memory,
            "CANCELLED" => TaskEndCause.Cancelled,
            "NODE_FAIL" => TaskEndCause.NodeFailure,
            _ => null,
        };

    /// <inheritdoc />
    public string CancelCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        "scancel " + string.Join(" ", chunks.Select(c => c.JobId));

    [GeneratedRegex(@"MaxArraySize\s*=\s*(\d+)")]
    private static partial Regex MaxArraySize();

    [GeneratedRegex(@"^(\d+)([kmgt])b$", RegexOptions.IgnoreCase)]
    private static partial Regex PbsMemory();

    /// <summary>
    /// The submission's task of a SLURM task id <c>&lt;array job&gt;_&lt;index&gt;</c>; null for anything else
    /// (<c>24</c>, <c>24_[5-6]</c>, other jobs).
    /// </summary>
    internal static int? Locate(string id, IReadOnlyList<SubmittedChunk> chunks)
    {
        if (TaskId().Match(id) is not { Success: true } m)
            return null;
        var chunk = chunks.FirstOrDefault(c => c.JobId == m.Groups[1].Value);
        var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return chunk is not null && index >= 1 && index <= chunk.Chunk.Count ? chunk.Chunk.Offset + index : null;
    }

    [GeneratedRegex(@"^(\d+)_(\d+)$")]
    private static partial Regex TaskId();
}
