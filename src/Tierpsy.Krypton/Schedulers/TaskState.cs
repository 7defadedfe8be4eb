namespace Tierpsy.Krypton.Schedulers;

/// <summary>What the scheduler says about one task.</summary>
public enum SchedulerTaskState
{
    /// <summary>Waiting in the queue (or held).</summary>
    Queued,

    /// <summary>Running (or exiting after having run).</summary>
    Running,

    /// <summary>The scheduler lists the task as finished; how it ended is in its log.</summary>
    Ended,

    /// <summary>The scheduler does not list the task (not yet, or no longer): unknown, never "done".</summary>
    NotListed,
}

/// <summary>One task in one status answer.</summary>
/// <param name="Task">The task number in the submission's task list (1-based).</param>
/// <param name="State">The state, as far as the scheduler tells.</param>
/// <param name="Raw">The scheduler's own word for it (<c>R</c>, <c>TIMEOUT</c>, …), for messages.</param>
/// <param name="ExitCode">The exit code when the scheduler reports one.</param>
public sealed record SchedulerTask(int Task, SchedulerTaskState State, string Raw, int? ExitCode = null);
