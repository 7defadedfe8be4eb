using Tierpsy.Krypton.Remote;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>
/// One batch system. Everything here is text in, text out: commands to run on the cluster and parsers for what
/// they print, so it is tested without a cluster. The workflow runs the commands through an <c>IRemote</c>.
/// </summary>
internal interface IScheduler
{
    /// <summary>Which batch system this is.</summary>
    SchedulerKind Kind { get; }

    /// <summary>A command that prints the site's array size cap; null when there is none to ask.</summary>
    string? ArrayCapCommand { get; }

    /// <summary>
    /// The largest number of tasks one array may have, read from <see cref="ArrayCapCommand"/>'s output; null for no
    /// cap.
    /// </summary>
    int? ParseArrayCap(string output);

    /// <summary>The job script of one chunk.</summary>
    string RenderScript(ArrayJob job, ArrayChunk chunk);

    /// <summary>
    /// The command that submits one chunk's script (already written to <see cref="ArrayJob.ScriptPath"/>).
    /// </summary>
    string SubmitCommand(ArrayJob job, ArrayChunk chunk);

    /// <summary>The job id in what the submit command printed.</summary>
    /// <exception cref="SchedulerException">The output holds no job id.</exception>
    string ParseSubmitOutput(string output);

    /// <summary>ONE command that reports every task of every chunk of a submission.</summary>
    string StatusCommand(IReadOnlyList<SubmittedChunk> chunks);

    /// <summary>
    /// Reads <see cref="StatusCommand"/>'s stdout, stderr and exit code into one entry per task: tasks the scheduler
    /// says it does not know are <see cref="SchedulerTaskState.NotListed"/>, tasks its answer does not cover are
    /// <see cref="SchedulerTaskState.Unknown"/>.
    /// </summary>
    /// <exception cref="SchedulerException">The scheduler did not answer, or the output is not understood.</exception>
    IReadOnlyList<SchedulerTask> ParseStatus(CommandResult status, IReadOnlyList<SubmittedChunk> chunks);

    /// <summary>A command that says why ended tasks ended (accounting, job history); null when there is none.</summary>
    string? EndsCommand(IReadOnlyList<SubmittedChunk> chunks);

    /// <summary>
    /// Why each task that the scheduler ended ended, from <see cref="EndsCommand"/>; empty when it cannot tell.
    /// </summary>
    IReadOnlyDictionary<int, TaskEndCause> ParseEnds(CommandResult ends, IReadOnlyList<SubmittedChunk> chunks);

    /// <summary>The command that cancels every chunk of a submission.</summary>
    string CancelCommand(IReadOnlyList<SubmittedChunk> chunks);
}

/// <summary>A chunk that was submitted, with the id the scheduler gave it.</summary>
internal sealed record SubmittedChunk(ArrayChunk Chunk, string JobId);
