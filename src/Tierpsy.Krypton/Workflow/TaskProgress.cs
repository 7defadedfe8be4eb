using Tierpsy.Krypton.Schedulers;

namespace Tierpsy.Krypton.Workflow;

/// <summary>Where one task is, from the scheduler and its log together.</summary>
internal enum TaskPhase
{
    /// <summary>Waiting in the queue.</summary>
    Queued,

    /// <summary>Running (the scheduler says so, or its log has started).</summary>
    Running,

    /// <summary>Its log ends with exit code 0.</summary>
    Succeeded,

    /// <summary>Its log ends with another exit code.</summary>
    Failed,

    /// <summary>The scheduler has finished with it, but its log has no end: killed (walltime, memory, node).</summary>
    Lost,

    /// <summary>Neither the scheduler nor the log tells yet: never counted as done.</summary>
    Unknown,

    /// <summary>Cancelled or deleted (scancel, qdel): the scheduler says so, or it ended before it started.</summary>
    Cancelled,
}

/// <summary>
/// One task in one Monitor round; <see cref="Started"/> and <see cref="Ended"/> are the times its log records.
/// </summary>
internal sealed record TaskProgress(
    int Task,
    string Video,
    TaskPhase Phase,
    string? Checkpoint,
    int? ExitCode,
    string SchedulerState,
    int RoundsUnlisted,
    bool LogStarted,
    string? Waiting = null,
    DateTimeOffset? Started = null,
    DateTimeOffset? Ended = null
)
{
    /// <summary>True once the task will not change any more.</summary>
    public bool HasEnded => Phase is TaskPhase.Succeeded or TaskPhase.Failed or TaskPhase.Lost or TaskPhase.Cancelled;
}

/// <summary>Combines one status answer and one log reading into each task's phase.</summary>
internal static class MonitorRound
{
    /// <summary>
    /// Rounds a task may be missing from the scheduler, with no end in its log, before it counts as lost.
    /// </summary>
    public const int UnlistedRoundsBeforeLost = 3;

    /// <summary>The phase of every task of <paramref name="submission"/> after this round.</summary>
    public static IReadOnlyList<TaskProgress> Combine(
        Submission submission,
        IReadOnlyList<SchedulerTask> scheduler,
        IReadOnlyDictionary<int, LogReading> logs,
        IReadOnlyDictionary<int, TaskProgress>? previous
    )
    {
        var byTask = scheduler.ToDictionary(t => t.Task);
        var result = new List<TaskProgress>();
        for (var task = 1; task <= submission.Videos.Count; task++)
        {
            var video = submission.Videos[task - 1];
            var before = previous?.GetValueOrDefault(task);
            if (before is { HasEnded: true })
            {
                result.Add(before);
                continue;
            }
            var state = byTask.GetValueOrDefault(task)
                ?? new SchedulerTask(task, SchedulerTaskState.NotListed, "not listed");
            var log = logs.GetValueOrDefault(task) ?? new LogReading(task, false, before?.Checkpoint, null);
            // Only rounds in which the scheduler answered and did not list the task count towards "lost".
            var cancelled = state.Cause is TaskEndCause.Cancelled or TaskEndCause.CancelledBeforeStart;
            // An end the scheduler reports without a cause (COMPLETED, F) while the log has none yet gets the same
            // grace as an unlisted task: on a shared file system the log's last line can reach the login node late.
            var unconfirmed = state.State == SchedulerTaskState.Ended && state.Cause is null && log.ExitCode is null;
            var unlisted = state.State switch
            {
                SchedulerTaskState.NotListed => (before?.RoundsUnlisted ?? 0) + 1,
                SchedulerTaskState.Unknown => before?.RoundsUnlisted ?? 0,
                _ when unconfirmed => (before?.RoundsUnlisted ?? 0) + 1,
                _ => 0,
            };
            var phase = log.ExitCode switch
            {
                0 => TaskPhase.Succeeded,
                not null when cancelled => TaskPhase.Cancelled,
                not null => TaskPhase.Failed,
                null => state.State switch
                {
                    SchedulerTaskState.Running => TaskPhase.Running,
                    SchedulerTaskState.Queued => log.Exists ? TaskPhase.Running : TaskPhase.Queued,
                    SchedulerTaskState.Ended when cancelled => TaskPhase.Cancelled,
                    SchedulerTaskState.Ended when !unconfirmed || unlisted >= UnlistedRoundsBeforeLost =>
                        TaskPhase.Lost,
                    SchedulerTaskState.NotListed when unlisted >= UnlistedRoundsBeforeLost => TaskPhase.Lost,
                    _ => TaskPhase.Unknown,
                },
            };
            result.Add(
                new TaskProgress(
                    task,
                    video,
                    phase,
                    log.Checkpoint ?? before?.Checkpoint,
                    log.ExitCode ?? state.ExitCode,
                    state.Raw,
                    unlisted,
                    log.Exists || before?.LogStarted == true,
                    phase == TaskPhase.Queued ? state.Waiting : null,
                    log.Start is { } start ? DateTimeOffset.FromUnixTimeSeconds(start) : before?.Started,
                    log.End is { } end ? DateTimeOffset.FromUnixTimeSeconds(end) : before?.Ended
                )
            );
        }
        return result;
    }
}
