namespace Tierpsy.Krypton.Schedulers;

/// <summary>What the scheduler says about one task.</summary>
internal enum SchedulerTaskState
{
    /// <summary>Waiting in the queue (or held).</summary>
    Queued,

    /// <summary>Running (or suspended, or exiting after having run).</summary>
    Running,

    /// <summary>The scheduler lists the task as finished; how it ended is in its log.</summary>
    Ended,

    /// <summary>
    /// The scheduler answered and does not list the task (not yet, or no longer: it forgot it, or it never knew the
    /// job): never "done"; its log tells whether it ran.
    /// </summary>
    NotListed,

    /// <summary>
    /// The scheduler's answer did not cover the task (its query failed, or the job moved to another server): nothing is
    /// known of it this round, so it may still be queued or running.
    /// </summary>
    Unknown,
}

/// <summary>Why the scheduler ended a task, where it keeps a record (SLURM's accounting, PBS Pro's history).</summary>
internal enum TaskEndCause
{
    /// <summary>Killed at its walltime (SLURM TIMEOUT, PBS Exit_status -29).</summary>
    Walltime,

    /// <summary>Killed for using more memory than it asked for (SLURM OUT_OF_MEMORY, PBS -27 and -26).</summary>
    Memory,

    /// <summary>Killed for using more CPU than it asked for (PBS -24, -25, -28).</summary>
    Cpu,

    /// <summary>Cancelled while it ran (scancel, qdel: PBS Exit_status 271, SIGTERM).</summary>
    Cancelled,

    /// <summary>Cancelled or deleted before it started: it never ran.</summary>
    CancelledBeforeStart,

    /// <summary>Its node failed.</summary>
    NodeFailure,
}

/// <summary>One task in one status answer.</summary>
/// <param name="Task">The task number in the submission's task list (1-based).</param>
/// <param name="State">The state, as far as the scheduler tells.</param>
/// <param name="Raw">The scheduler's own word for it (<c>R</c>, <c>TIMEOUT</c>, …), for messages.</param>
/// <param name="ExitCode">The exit code when the scheduler reports one.</param>
/// <param name="Cause">Why the scheduler ended it, when it says.</param>
/// <param name="Waiting">Why a queued task waits, in the scheduler's words (SLURM's reason), when it says.</param>
internal sealed record SchedulerTask(
    int Task,
    SchedulerTaskState State,
    string Raw,
    int? ExitCode = null,
    TaskEndCause? Cause = null,
    string? Waiting = null
);

/// <summary>The words for a <see cref="TaskEndCause"/> in messages.</summary>
internal static class TaskEndCauses
{
    /// <summary>"killed at the walltime", …</summary>
    public static string Describe(this TaskEndCause cause) =>
        cause switch
        {
            TaskEndCause.Walltime => "killed at the walltime (raise --walltime)",
            TaskEndCause.Memory => "killed for using more memory than requested (raise --memory)",
            TaskEndCause.Cpu => "killed for using more CPU than requested (raise --cpus)",
            TaskEndCause.Cancelled => "cancelled while it ran (scancel or qdel)",
            TaskEndCause.CancelledBeforeStart => "cancelled before it started",
            TaskEndCause.NodeFailure => "its node failed",
            _ => cause.ToString(),
        };
}
