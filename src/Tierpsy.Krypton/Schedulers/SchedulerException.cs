namespace Tierpsy.Krypton.Schedulers;

/// <summary>What kind of answer the scheduler gave.</summary>
internal enum SchedulerFailure
{
    /// <summary>A command of the scheduler ended with a non-zero exit code.</summary>
    CommandFailed,

    /// <summary>The command succeeded but printed something that is not what it prints (no job id, no JSON).</summary>
    UnreadableAnswer,
}

/// <summary>
/// The scheduler refused or did not understand a request; the message says what to do, the properties say it as
/// data (which command, its exit code, the kind of failure).
/// </summary>
internal sealed class SchedulerException(string message) : Exception(message)
{
    /// <summary>What went wrong.</summary>
    public SchedulerFailure Reason { get; init; } = SchedulerFailure.CommandFailed;

    /// <summary>The scheduler command (<c>qsub</c>, <c>squeue</c>, …) as it was run, when one was.</summary>
    public string? Command { get; init; }

    /// <summary>Its exit code, when it ended with one.</summary>
    public int? ExitCode { get; init; }
}
