using Tierpsy.Krypton.Remote;
using Tierpsy.Krypton.Schedulers;

namespace Tierpsy.Krypton.Workflow;

/// <summary>
/// One task as last read from the cluster: its log's marker lines, the memory the scheduler recorded and, when it
/// failed, why and the last lines of its log.
/// </summary>
internal sealed record TaskRecord(
    int Task,
    long? Start,
    long? End,
    int? ExitCode,
    string? Checkpoint,
    long? MaxRssBytes = null,
    string? Failure = null,
    IReadOnlyList<string>? Tail = null
);

/// <summary>
/// What was read of one submission's tasks, and when. Kept in <c>.krypton/state/task-records/</c> so that the Report
/// needs the cluster only for tasks that could still change.
/// </summary>
internal sealed record SubmissionRecord(DateTimeOffset ReadAt, IReadOnlyList<TaskRecord> Tasks)
{
    /// <summary>
    /// How long after a Cancel the tasks it stopped may still write their end lines: the job script's trap writes
    /// them when the scheduler's SIGTERM arrives, within seconds.
    /// </summary>
    public static readonly TimeSpan CancelSettles = TimeSpan.FromMinutes(2);

    /// <summary>The lines of a failed task's log that the page shows.</summary>
    public const int TailLines = 15;

    /// <summary>
    /// True when reading the cluster again could change nothing: every task has ended, or the user cancelled the
    /// submission well before this was read.
    /// </summary>
    public bool IsSettled(Submission submission) =>
        submission.CancelledAt is { } cancelled && ReadAt >= cancelled + CancelSettles
        || Tasks.Count == submission.Videos.Count && Tasks.All(t => t.ExitCode is not null);
}

/// <summary>Reads a submission's record from the cluster: one log probe, failed logs' ends, memory used.</summary>
internal static class TaskRecords
{
    /// <summary>Every task of <paramref name="submission"/> as the cluster tells it now.</summary>
    public static async Task<SubmissionRecord> ReadAsync(
        IRemote remote,
        Submission submission,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        var tasks = Enumerable.Range(1, submission.Videos.Count).ToList();
        var probe = LogProbe.Command($"{submission.Directory}/logs", tasks);
        var readings = LogProbe.Parse((await remote.RunAsync(probe, CommandTimeouts.Scan, ct)).Output);
        var failed = readings.Values.Where(r => r.ExitCode is not null and not 0).Select(r => r.Task).ToList();
        var tails = await LogTails.ReadAsync(
            remote,
            failed.Select(submission.LogPath).ToList(),
            CommandTimeouts.Scan,
            ct
        );
        var memory = await MemoryUsedAsync(remote, submission, ct);
        return new SubmissionRecord(
            now,
            tasks
                .Select(task =>
                {
                    var reading = readings.GetValueOrDefault(task);
                    var tail = tails.GetValueOrDefault(submission.LogPath(task));
                    return new TaskRecord(
                        task,
                        reading?.Start,
                        reading?.End,
                        reading?.ExitCode,
                        reading?.Checkpoint,
                        memory.TryGetValue(task, out var bytes) ? bytes : null,
                        reading?.ExitCode is { } code and not 0 ? Failure(tail, code) : null,
                        tail is null ? null : LastLines(tail)
                    );
                })
                .ToList()
        );
    }

    /// <summary>Why a task failed, from the end of its log; its exit code when the log could not be read.</summary>
    private static string Failure(string? log, int code) =>
        log is null ? $"exit code {code}" : LogTails.ClassifyEnded(log).ToString();

    private static List<string> LastLines(string log) =>
        log.Replace("\r\n", "\n", StringComparison.Ordinal)
            .TrimEnd('\n')
            .Split('\n')
            .TakeLast(SubmissionRecord.TailLines)
            .ToList();

    /// <summary>
    /// The memory each task used where the scheduler records it: SLURM's accounting (sacct MaxRSS, when on), PBS
    /// Pro's job history (resources_used.mem); none for Torque and the local runner.
    /// </summary>
    private static async Task<IReadOnlyDictionary<int, long>> MemoryUsedAsync(
        IRemote remote,
        Submission submission,
        CancellationToken ct
    )
    {
        var chunks = submission.Chunks;
        if (submission.Scheduler == SchedulerKind.Slurm)
        {
            var answer = await remote.RunAsync(SlurmAccounting.MemoryCommand(chunks), null, ct);
            return answer.ExitCode == 0
                ? SlurmAccounting.MemoryUsed(answer.Output, chunks)
                : new Dictionary<int, long>();
        }
        if (submission.Scheduler == SchedulerKind.PbsPro)
        {
            var status = await remote.RunAsync(new PbsProScheduler().StatusCommand(chunks), null, ct);
            return PbsProScheduler.MemoryUsed(status, chunks);
        }
        return new Dictionary<int, long>();
    }
}
