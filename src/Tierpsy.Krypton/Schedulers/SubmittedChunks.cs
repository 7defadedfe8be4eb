namespace Tierpsy.Krypton.Schedulers;

/// <summary>The tasks of a submission's chunks, and a status answer completed with the tasks it left out.</summary>
internal static class SubmittedChunks
{
    /// <summary>Every task number of these chunks, in order.</summary>
    public static IEnumerable<int> Tasks(this IReadOnlyList<SubmittedChunk> chunks) =>
        chunks.SelectMany(c => Enumerable.Range(c.Chunk.FirstTask, c.Chunk.Count));

    /// <summary>
    /// One entry per task: the one seen; for a task not seen, <see cref="SchedulerTaskState.Unknown"/> when its chunk
    /// is in <paramref name="unanswered"/> (its query failed), else <see cref="SchedulerTaskState.NotListed"/>.
    /// </summary>
    public static IReadOnlyList<SchedulerTask> Complete(
        this IReadOnlyList<SubmittedChunk> chunks,
        IReadOnlyDictionary<int, SchedulerTask> seen,
        IReadOnlySet<string>? unanswered = null
    ) =>
        chunks
            .SelectMany(c =>
                Enumerable
                    .Range(c.Chunk.FirstTask, c.Chunk.Count)
                    .Select(t =>
                        seen.GetValueOrDefault(t)
                        ?? (
                            unanswered?.Contains(c.JobId) == true
                                ? new SchedulerTask(t, SchedulerTaskState.Unknown, "qstat failed")
                                : new SchedulerTask(t, SchedulerTaskState.NotListed, "not listed")
                        )
                    )
            )
            .ToList();

    /// <summary>Every task as <see cref="SchedulerTaskState.Unknown"/>: a round the scheduler did not answer.</summary>
    public static IReadOnlyList<SchedulerTask> Unanswered(this IReadOnlyList<SubmittedChunk> chunks) =>
        chunks.Tasks().Select(t => new SchedulerTask(t, SchedulerTaskState.Unknown, "no answer")).ToList();
}
