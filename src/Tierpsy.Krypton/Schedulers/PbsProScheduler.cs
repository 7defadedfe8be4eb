using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// PBS Pro / OpenPBS: <c>qsub</c> with <c>#PBS -J 1-N</c> (at least two sub-jobs: a one-task chunk is a plain job),
/// <c>PBS_ARRAY_INDEX</c>, ids <c>1234[].server</c>, status from <c>qstat -f -F json -x -t</c>.
/// </summary>
internal sealed partial class PbsProScheduler : IScheduler
{
    /// <inheritdoc />
    public SchedulerKind Kind => SchedulerKind.PbsPro;

    /// <inheritdoc />
    public string? ArrayCapCommand => "qstat -Bf";

    /// <inheritdoc />
    public int? ParseArrayCap(string output) =>
        MaxArraySize().Match(output) is { Success: true } m
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : 10000; // PBS Pro's default

    /// <inheritdoc />
    public string RenderScript(ArrayJob job, ArrayChunk chunk)
    {
        var s = new StringBuilder("#!/bin/bash -l\n");
        s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -N {JobScript.Name(job.Name)}");
        if (chunk.Count >= 2)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -J 1-{chunk.Count}");
            if (job.Throttle is { } throttle)
                s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -W max_run_subjobs={throttle}");
        }
        else
            s.AppendLine(
                "# One task: PBS Pro arrays need at least two sub-jobs, so this is a plain job (PBS_ARRAY_INDEX unset)."
            );
        s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -l walltime={DurationText.Format(job.Resources.Walltime)}");
        s.AppendLine(
            $"#PBS -l select=1:ncpus={job.Resources.Cpus}"
                + (job.Resources.Memory is { Length: > 0 } mem ? $":mem={mem}" : "")
        );
        if (job.Resources.Queue is { Length: > 0 } queue)
            s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -q {queue}");
        Qsub.AppendMail(s, job.Site);
        // PBS Pro charges a project (-P); its -A is an accounting string most sites do not use.
        if (job.Site.Account is { Length: > 0 } account)
            s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -P {account}");
        // An array's id (12[].server) stands for all its sub-jobs.
        if (job.AfterAny.Count > 0)
            s.AppendLine(CultureInfo.InvariantCulture, $"#PBS -W depend=afterany:{string.Join(":", job.AfterAny)}");
        s.AppendLine("#PBS -j oe");
        foreach (var line in job.Site.Lines)
            s.AppendLine(line);
        s.Append(JobScript.Body(job, chunk, "\"${PBS_ARRAY_INDEX:-1}\"", "${PBS_JOBID:-?}"));
        return s.ToString();
    }

    /// <inheritdoc />
    public string SubmitCommand(ArrayJob job, ArrayChunk chunk) => Qsub.SubmitCommand(job, chunk);

    /// <inheritdoc />
    public string ParseSubmitOutput(string output) => Qsub.ParseJobId(output, "1234[].server");

    /// <inheritdoc />
    /// <remarks>
    /// One <c>qstat</c> per array: OpenPBS builds after 23.06.06 print only the first job found when given several ids
    /// (openpbs/openpbs#2672), exit code 0, no message. Each answer is framed by a marker line on stdout and stderr, so
    /// one unknown id (exit 153, a JSON skeleton on stdout, the message on stderr) costs only its own tasks. <c>-x</c>
    /// (finished jobs) only where the server keeps job history (<c>job_history_enable</c>, off by default): a server
    /// without it refuses <c>-x</c>; finished jobs are then unknown to it and their logs tell how they ended.
    /// </remarks>
    public string StatusCommand(IReadOnlyList<SubmittedChunk> chunks) =>
        $"h=; qstat -Bf 2>/dev/null | grep -Eiq '{HistoryAttribute} = (true|1)' && h=-x; "
        + $"for id in {string.Join(" ", chunks.Select(c => ShellQuote.Word(c.JobId)))}; do "
        + $"printf '\\n{QstatAnswer.SegmentMarker} %s ===\\n' \"$id\"; "
        + $"printf '\\n{QstatAnswer.SegmentMarker} %s ===\\n' \"$id\" >&2; "
        + $"qstat -f -F json $h -t \"$id\"; printf '\\n{QstatAnswer.ExitMarker} %s ===\\n' \"$?\"; done";

    /// <summary>The server attribute that says whether finished jobs stay visible to <c>qstat -x</c>.</summary>
    internal const string HistoryAttribute = "job_history_enable";

    /// <summary>Whether <c>qstat -Bf</c> says the server keeps job history (absent means off, the default).</summary>
    internal static bool JobHistory(string qstatBf) => JobHistoryLine().IsMatch(qstatBf);

    /// <inheritdoc />
    public IReadOnlyList<SchedulerTask> ParseStatus(CommandResult status, IReadOnlyList<SubmittedChunk> chunks)
    {
        var answers = QstatAnswer.Split(status);
        if (answers.Count == 0)
            throw new SchedulerException($"qstat failed (exit code {status.ExitCode}): {status.All.Trim()}")
            {
                ExitCode = status.ExitCode,
            };
        var seen = new Dictionary<int, SchedulerTask>();
        var failures = new Dictionary<string, string>(StringComparer.Ordinal); // job id → what went wrong
        foreach (var chunk in chunks)
        {
            if (!answers.TryGetValue(chunk.JobId, out var answer))
            {
                failures[chunk.JobId] = "not asked";
                continue;
            }
            foreach (var task in ReadJobs(answer.Stdout, chunks))
                seen[task.Task] = task;
            var known = new[] { chunk }.Tasks().All(seen.ContainsKey);
            if (answer.Stderr.Contains("Unknown Job Id", StringComparison.OrdinalIgnoreCase) || known)
                continue;
            if (answer.ExitCode != 0 && answer.ExitCode != FinishedWithoutHistory)
                failures[chunk.JobId] = $"exit code {answer.ExitCode}, {answer.Stderr.Trim()}";
        }
        if (failures.Count == chunks.Count)
            throw new SchedulerException(
                $"qstat failed for every array: {string.Join("; ", failures.Select(f => $"{f.Key}: {f.Value}"))}"
            );
        // An array whose answer failed leaves its tasks unknown; one the server does not know (or, without job
        // history, no longer lists), not listed.
        return chunks.Complete(seen, failures.Keys.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// qstat's exit code for a finished job asked about without <c>-x</c> ("Job has finished, use -x or -H").
    /// </summary>
    private const int FinishedWithoutHistory = 35;

    /// <inheritdoc />
    public string? EndsCommand(IReadOnlyList<SubmittedChunk> chunks) => StatusCommand(chunks);

    /// <inheritdoc />
    public IReadOnlyDictionary<int, TaskEndCause> ParseEnds(CommandResult ends, IReadOnlyList<SubmittedChunk> chunks)
    {
        try
        {
            return ParseStatus(ends, chunks)
                .Where(t => t.Cause is not null)
                .ToDictionary(t => t.Task, t => t.Cause!.Value);
        }
        catch (SchedulerException)
        {
            return new Dictionary<int, TaskEndCause>();
        }
    }

    /// <summary>
    /// The most memory each finished sub-job used (<c>resources_used.mem</c>, e.g. <c>7200kb</c>), by task, from the
    /// answers of <see cref="StatusCommand"/> (recording 24 shows it on every ended sub-job with job history on).
    /// </summary>
    public static IReadOnlyDictionary<int, long> MemoryUsed(CommandResult status, IReadOnlyList<SubmittedChunk> chunks)
    {
        var used = new Dictionary<int, long>();
        var locator = new JobLocator(chunks);
        foreach (var answer in QstatAnswer.Split(status).Values)
        {
            var start = answer.Stdout.Span.IndexOf('{');
            if (start < 0)
                continue;
            using var document = ParseJson(answer.Stdout[start..]);
            if (!document.RootElement.TryGetProperty("Jobs", out var jobs))
                continue;
            foreach (var job in jobs.EnumerateObject())
                if (
                    locator.Locate(job.Name) is { } task
                    && job.Value.TryGetProperty("resources_used", out var resources)
                    && resources.TryGetProperty("mem", out var mem)
                    && MemoryText.Parse(mem.GetString()) is { } bytes and > 0
                )
                    used[task] = bytes;
        }
        return used;
    }

    /// <summary>The tasks of the submission in one <c>qstat -f -F json</c> answer (its <c>Jobs</c>, if any).</summary>
    private static IEnumerable<SchedulerTask> ReadJobs(ReadOnlyMemory<char> json, IReadOnlyList<SubmittedChunk> chunks)
    {
        var locator = new JobLocator(chunks);
        foreach (var job in ReadJobList(json))
        {
            if (locator.Locate(job.Id) is not { } task)
                continue;
            var state = MapState(job.State);
            yield return new SchedulerTask(
                task,
                state,
                job.State,
                job.ExitStatus,
                Cause(state, job.ExitStatus, job.Ran),
                state == SchedulerTaskState.Queued ? PendingReasons.FromPbs(job.State, job.Comment) : null
            );
        }
    }

    private static List<PbsJob> ReadJobList(ReadOnlyMemory<char> json)
    {
        try
        {
            return PbsJobList.Read(json.Span);
        }
        catch (JsonException e)
        {
            throw NotJson(e);
        }
    }

    /// <summary>
    /// Why PBS ended a job: OpenPBS's negative Exit_status values for a limit (JOB_EXEC_KILL_*), 256 + the signal for
    /// a signal (271: SIGTERM, as qdel sends it), and a finished job that never had an exec_host was deleted queued.
    /// </summary>
    private static TaskEndCause? Cause(SchedulerTaskState state, int? exit, bool ran) =>
        state != SchedulerTaskState.Ended ? null
        : !ran ? TaskEndCause.CancelledBeforeStart
        : exit switch
        {
            -29 => TaskEndCause.Walltime,
            -27 or -26 => TaskEndCause.Memory,
            -28 or -25 or -24 => TaskEndCause.Cpu,
            271 => TaskEndCause.Cancelled,
            _ => null,
        };

    /// <inheritdoc />
    public string CancelCommand(IReadOnlyList<SubmittedChunk> chunks) => Qsub.CancelCommand(chunks);

    /// <summary>
    /// PBS Pro's job states: running, suspended (S, U: they ran and will go on), exiting, begun (an array's parent);
    /// finished (F, X: a sub-job that ended or was deleted); queued, held, waiting, in transit; moved to another
    /// server (M: not known here any more).
    /// </summary>
    private static SchedulerTaskState MapState(string state) =>
        state switch
        {
            "R" or "S" or "U" or "E" or "B" => SchedulerTaskState.Running,
            "X" or "F" => SchedulerTaskState.Ended,
            "Q" or "H" or "W" or "T" => SchedulerTaskState.Queued,
            _ => SchedulerTaskState.Unknown,
        };

    private static JsonDocument ParseJson(ReadOnlyMemory<char> json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw NotJson(e);
        }
    }

    private static SchedulerException NotJson(JsonException e) =>
        new($"qstat -F json printed something that is not JSON ({e.Message}); the status of this round is unknown.")
        {
            Reason = SchedulerFailure.UnreadableAnswer,
        };

    [GeneratedRegex(@"^\s*job_history_enable\s*=\s*(True|true|1)\s*$", RegexOptions.Multiline)]
    private static partial Regex JobHistoryLine();

    [GeneratedRegex(@"max_array_size\s*=\s*(\d+)")]
    private static partial Regex MaxArraySize();
}
