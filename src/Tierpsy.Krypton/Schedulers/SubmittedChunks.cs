namespace Tierpsy.Krypton.Schedulers;

/// <summary>The tasks of a submission's chunks, and a status answer completed with the tasks it did not mention.</summary>
internal static class SubmittedChunks
{
    /// <summary>Every task number of these chunks, in order.</summary>
    public static IEnumerable<int> Tasks(this IReadOnlyList<SubmittedChunk> chunks) =>
        chunks.SelectMany(c => Enumerable.Range(c.Chunk.FirstTask, c.Chunk.Count));

    /// <summary>One entry per task: the one seen, or <see cref="SchedulerTaskState.NotListed"/>.</summary>
    public static IReadOnlyList<SchedulerTask> Complete(this IReadOnlyList<SubmittedChunk> chunks, IReadOnlyDictionary<int, SchedulerTask> seen) =>
        chunks.Tasks().Select(t => seen.GetValueOrDefault(t) ?? new SchedulerTask(t, SchedulerTaskState.NotListed, "not listed")).ToList();
}
