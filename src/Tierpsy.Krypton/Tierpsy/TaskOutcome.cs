namespace Tierpsy.Krypton.Tierpsy;

/// <summary>How one video's run ended, as its log shows it.</summary>
internal enum TaskOutcome
{
    /// <summary>The task has not ended yet.</summary>
    Running,

    /// <summary>Every requested checkpoint finished and the outputs were copied.</summary>
    Succeeded,

    /// <summary>Nothing was left to do ("No checkpoints given ... previous analysis finished").</summary>
    AlreadyFinished,

    /// <summary>
    /// Stopped on purpose: an unmet requirement (unreadable video) or an output that already exists. Exit code 0.
    /// </summary>
    FinishedEarly,

    /// <summary>The runner returned but reported missing analysis points: not complete.</summary>
    Incomplete,

    /// <summary>A Python exception ended the run.</summary>
    Traceback,

    /// <summary>
    /// The run reached a <c>pdb</c> breakpoint and died with <c>bdb.BdbQuit</c> (stdin was /dev/null).
    /// </summary>
    DebuggerExit,

    /// <summary>The task ended but the log just stops: killed by walltime, memory or a node failure.</summary>
    Killed,

    /// <summary>The task ended with an empty log: no command ran.</summary>
    Empty,

    /// <summary>
    /// Tierpsy never started: the task ended with a non-zero exit code before any checkpoint (a broken TierpsySetup or
    /// environment, <c>python: command not found</c>, a shell error). Resubmitting will fail the same way.
    /// </summary>
    NotStarted,
}

/// <summary>The outcome of one task, the checkpoint it reached and a one-line reason.</summary>
internal sealed record TaskLogReport(TaskOutcome Outcome, string? Checkpoint, string Detail)
{
    /// <summary>True when the video needs no further run.</summary>
    public bool IsDone => Outcome is TaskOutcome.Succeeded or TaskOutcome.AlreadyFinished;

    /// <summary>"TRAJ_CREATE: AttributeError: …" as Verify prints it.</summary>
    public override string ToString() =>
        (Outcome == TaskOutcome.NotStarted ? "did not start" : $"{Outcome}")
        + (Checkpoint is null ? "" : $" in {Checkpoint}")
        + (Detail.Length > 0 ? $": {Detail}" : "");
}
